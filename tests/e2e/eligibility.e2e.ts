import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserSuite,
  DEMO_PASSWORD,
  expectAccessible,
  expectAccessibleWithoutScripts,
  expectFitsPhone,
  fillSignUp,
  latestMessageTo,
  moveClock,
  overflowsHorizontally,
  PHONE,
  runJob,
  signInWithPassword,
  uniqueEmail
} from './harness.js';

const TOWN = 'Glaneville-en-Barœul';

/** A small but real one-page PDF, as a scanner would give. */
function proofPdf(): Buffer {
  const stream = 'BT /F1 12 Tf 30 100 Td (Attestation de bourse 2026-2027) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Today in Europe/Paris plus `days`, as YYYY-MM-DD (what the decision form offers). */
function parisDatePlus(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date()
  );
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** "29 mai 2027" as the pages write a date in French. */
function frenchDate(date: string): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(`${date}T12:00:00Z`));
}

/** Declares the household on /mon-dossier (in the demo town) and waits for it to be saved. */
async function declareHousehold(page: Page, household: { firstName: string; adults: number; children: number; situation: string }): Promise<void> {
  await page.getByLabel('Prénom').fill(household.firstName);
  await page.getByLabel('Nombre d’adultes').fill(String(household.adults));
  await page.getByLabel('Nombre d’enfants').fill(String(household.children));
  await page.getByLabel('Votre situation').selectOption({ label: household.situation });
  await page.getByLabel('Commune de résidence').selectOption({ label: TOWN });
  await page.getByRole('button', { name: 'Enregistrer mon foyer' }).click();
  await page.getByText('Votre foyer est enregistré.').waitFor();
}

/**
 * The journey of issue 4: a student signs up, declares the household, asks the CCAS for the
 * anti-gaspi scheme with a PDF proof; a CCAS agent finds it in the queue, reads the proof, grants
 * six months; the proof is gone; a second agent who had it open is told someone decided first;
 * the student sees the access. axe and 360 px on every page of the journey.
 */
describe('eligibility: from request to access', () => {
  const suite = browserSuite({ viewport: PHONE });
  const context = () => suite.newContext({ acceptDownloads: true });


  it('a student asks, a CCAS agent grants anti-gaspi for 6 months, the proof is deleted, the student sees the access', async () => {
    // ── The student signs up and declares the household.
    const studentContext = await context();
    const student = await studentContext.newPage();
    const email = uniqueEmail('etudiante');
    await student.goto(`${suite.glane.url}/inscription`);
    await fillSignUp(student, { name: 'Inès Martin', email, password: 'une phrase facile à retenir' });
    await student.waitForURL(/\/compte\?bienvenue=1$/);
    await student.getByRole('link', { name: /Mon dossier d’aide alimentaire/ }).click();
    await student.waitForURL(/\/mon-dossier$/);
    await expectFitsPhone(student, 'my file, empty');
    expect(await student.getByText('Pour faire une demande, déclarez d’abord votre foyer ci-dessous.').count()).toBeGreaterThan(0);

    await declareHousehold(student, { firstName: 'Inès', adults: 1, children: 0, situation: 'Étudiant ou étudiante' });

    // ── The request to the CCAS, with a PDF proof.
    await student.getByRole('link', { name: 'Faire une demande' }).click();
    await student.waitForURL(/\/mon-dossier\/demande$/);
    await expectFitsPhone(student, 'new request form');
    await student.getByRole('checkbox', { name: 'Dons anti-gaspi', exact: true }).check();
    await student.getByLabel(/^CCAS de Glaneville/).check();
    await student.getByLabel('Ressources du mois').fill('610');
    await student.getByLabel('Charges fixes du mois').fill('430,50');
    await student.getByLabel('Message pour la structure').fill('Étudiante boursière, je vis seule.');
    await student.getByLabel('Nom du justificatif 1').fill('Attestation de bourse');
    const pdf = proofPdf();
    await student.getByLabel('Fichier du justificatif 1').setInputFiles({ name: 'bourse.pdf', mimeType: 'application/pdf', buffer: pdf });
    await student.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await student.waitForURL(/\/mon-dossier\/demandes\/[^/?]+\?envoyee=1$/);
    const requestId = new URL(student.url()).pathname.split('/').pop()!;
    await student.getByText('Votre demande est envoyée.', { exact: false }).waitFor();
    expect(await student.getByText('Attestation de bourse', { exact: true }).count()).toBe(1);
    await expectFitsPhone(student, 'my request, submitted');

    // ── Two CCAS agents open it from the queue (the owner, and a member who will be too late).
    const agentContext = await context();
    const agent = await agentContext.newPage();
    await signInWithPassword(agent, suite.glane.url, 'ccas@demo.glane.localhost', DEMO_PASSWORD);
    await agent.goto(`${suite.glane.url}/organisations`);
    await agent.getByRole('link', { name: /^CCAS de / }).click();
    await agent.getByRole('link', { name: 'Demandes d’accès aux aides' }).click();
    await agent.waitForURL(/\/organisations\/[^/]+\/demandes$/);
    await expectFitsPhone(agent, 'queue');
    // Oldest first: the demo requests came before hers.
    const names = await agent.locator('ol.queue h3').allTextContents();
    expect(names.map((n) => n.trim())).toEqual(['Demande de Samira', 'Demande de Kévin', 'Demande de Inès']);
    await agent.getByRole('link', { name: 'Demande de Inès' }).click();
    await agent.waitForURL(new RegExp(`/demandes/${requestId}$`));
    await expectFitsPhone(agent, 'request file (agent)');
    // (610 € − 430,50 €) ÷ 1 person ÷ 30 days = 5,98 € a day, rounded down to the cent.
    expect(await agent.getByText(/5,98\s€ par personne et par jour/).count()).toBe(1);

    const late = await (await context()).newPage();
    await signInWithPassword(late, suite.glane.url, 'ccas.agent@demo.glane.localhost', DEMO_PASSWORD);
    await late.goto(agent.url());

    // The proof downloads for the agent, decrypted, as an attachment.
    const link = agent.getByRole('link', { name: 'Attestation de bourse' });
    const href = (await link.getAttribute('href'))!;
    const download = await agentContext.request.get(`${suite.glane.url}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toBe('attachment; filename="attestation-de-bourse.pdf"');
    expect(Buffer.from(await download.body()).equals(pdf)).toBe(true);
    // Not for the student (their own proof is not downloadable back).
    expect((await studentContext.request.get(`${suite.glane.url}${href}`)).status()).toBe(403);

    // ── Granted for six months (the date offered by default).
    const sixMonths = parisDatePlus(182);
    expect(await agent.getByLabel('Accorder').isChecked()).toBe(true);
    expect(await agent.getByRole('checkbox', { name: /Dons anti-gaspi/ }).isChecked()).toBe(true);
    expect(await agent.getByLabel('Accès jusqu’au (inclus)').inputValue()).toBe(sixMonths);
    await agent.getByLabel('Message pour la personne').fill('Bienvenue : vous pouvez réserver des dons près de chez vous.');
    await agent.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await agent.getByText('Décision enregistrée : accordée.', { exact: false }).waitFor();
    expect(await agent.getByText(/1 justificatif supprimé le/).count()).toBe(1);
    expect(await agent.getByRole('link', { name: 'Attestation de bourse' }).count()).toBe(0);
    expect((await agentContext.request.get(`${suite.glane.url}${href}`)).status()).toBe(404);
    await expectFitsPhone(agent, 'request file, granted');

    // ── The second agent, still on the old page, is told someone decided first.
    await late.getByLabel('Refuser').check();
    await late.getByLabel('Message pour la personne').fill('Doublon');
    await late.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await late.getByRole('heading', { name: 'Quelqu’un a décidé avant vous' }).waitFor();
    expect(await late.getByText('Accordée', { exact: true }).count()).toBeGreaterThan(0);
    await expectAccessible(late, 'request file, someone decided first');

    // ── The student is told and sees the access.
    const notice = await latestMessageTo(studentContext, suite.glane.url, email, 'votre demande a reçu une réponse');
    expect(notice.body).toContain(`/mon-dossier/demandes/${requestId}`);
    await student.goto(`${suite.glane.url}/mon-dossier`);
    const grants = student.locator('section', { has: student.getByRole('heading', { name: 'Mes accès' }) });
    expect(await grants.getByRole('heading', { name: 'Dons anti-gaspi' }).count()).toBe(1);
    expect(await grants.getByText('Accès en cours').count()).toBe(1);
    expect(await grants.getByText(`jusqu’au ${frenchDate(sixMonths)} inclus`).count()).toBe(1);
    expect(await grants.getByText(/Accordé par CCAS de Glaneville/).count()).toBe(1);
    await expectFitsPhone(student, 'my file, with the access');
    await student.goto(`${suite.glane.url}/mon-dossier/demandes/${requestId}`);
    expect(await student.getByText('Votre demande est accordée.').count()).toBe(1);
    expect(await student.getByText(/1 justificatif supprimé le/).count()).toBe(1);
    await expectFitsPhone(student, 'my request, granted');
  });

  it('at the desk, without JavaScript: an agent opens a request for a person without an account and decides it at once', async () => {
    const page = await suite.signedIn('ccas.agent@demo.glane.localhost', { javaScriptEnabled: false });
    await page.goto(`${suite.glane.url}/organisations`);
    await page.getByRole('link', { name: /^CCAS de / }).click();
    await page.getByRole('link', { name: 'Demandes d’accès aux aides' }).click();
    await page.getByRole('link', { name: 'Nouvelle demande au guichet' }).click();
    await page.waitForURL(/\/demandes\/nouvelle$/);
    expect(await overflowsHorizontally(page)).toBe(false);
    await expectAccessibleWithoutScripts(suite.browser, page, 'desk form');

    // Nothing chosen: the summary names what is missing.
    await page.getByLabel('Une personne sans compte').check();
    await page.getByRole('button', { name: 'Créer la demande' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Prénom');
    await expectAccessibleWithoutScripts(suite.browser, page, 'desk form, refused');

    // The person is described but no aid is chosen: refused, and no account is left behind (one transaction).
    const describeMarcel = async () => {
      await page.getByLabel('Une personne sans compte').check();
      await page.getByLabel('Prénom').fill('Marcel');
      await page.getByLabel('Nombre d’adultes').fill('1');
      await page.getByLabel('Nombre d’enfants').fill('0');
      await page.getByLabel('Votre situation').selectOption({ label: 'Retraité ou retraitée' });
      await page.getByLabel('Commune de résidence').selectOption({ label: TOWN });
    };
    await describeMarcel();
    await page.getByRole('button', { name: 'Créer la demande' }).click();
    await page.getByRole('alert').waitFor();
    const deskUrl = page.url();
    await page.goto(deskUrl.replace(/\/demandes\/nouvelle.*$/, '/personnes'));
    expect(await page.getByText('Marcel', { exact: true }).count()).toBe(0);
    await page.goto(deskUrl);

    await describeMarcel();
    await page.getByRole('checkbox', { name: 'Aide alimentaire d’urgence', exact: true }).check();
    await page.getByLabel('Ressources du mois').fill('780');
    await page.getByLabel('Notes de la fiche d’orientation').fill('Orienté par l’assistante sociale du secteur, en attente de sa pension.');
    await page.getByRole('button', { name: 'Créer la demande' }).click();
    await page.waitForURL(/\/demandes\/[^/]+\?cree=1$/);
    expect(await page.getByText('La demande est créée : vous pouvez décider maintenant.').count()).toBe(1);
    expect(await page.getByText('Au guichet', { exact: true }).count()).toBe(1);
    await expectAccessibleWithoutScripts(suite.browser, page, 'desk request');

    await page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await page.getByText('Décision enregistrée : accordée.', { exact: false }).waitFor();
    expect(await page.getByText(`jusqu’au ${frenchDate(parisDatePlus(30))}`).count()).toBeGreaterThan(0);
    // Exactly one accompanied Marcel: the refused attempt created nothing.
    await page.goto(deskUrl.replace(/\/demandes\/nouvelle.*$/, '/personnes'));
    expect(await page.getByText('Marcel', { exact: true }).count()).toBe(1);
  });

  it('someone else’s request answers 404, and a wrong file type is refused with the accepted types', async () => {
    const c = await context();
    const page = await c.newPage();
    await signInWithPassword(page, suite.glane.url, 'beneficiaire1@demo.glane.localhost', DEMO_PASSWORD);
    // Kévin's demo request, opened by Samira: as if it did not exist.
    await page.goto(`${suite.glane.url}/mon-dossier`);
    const own = await page.locator('a[href^="/mon-dossier/demandes/"]').first().getAttribute('href');
    expect(own).toBeTruthy();
    const other = await (await context()).newPage();
    await signInWithPassword(other, suite.glane.url, 'beneficiaire2@demo.glane.localhost', DEMO_PASSWORD);
    const res = await other.goto(`${suite.glane.url}${own}`);
    expect(res?.status()).toBe(404);
    const api = await other.context().request.get(`${suite.glane.url}/api/v1/eligibility/requests/${own!.split('/').pop()}`);
    expect(api.status()).toBe(404);

    // Samira adds a text file renamed .pdf to her undecided request: refused, the field says why.
    await page.goto(`${suite.glane.url}${own}`);
    await page.getByLabel('Nom du justificatif').fill('Quittance');
    await page.getByLabel('Fichier (PDF, JPEG ou PNG)').setInputFiles({ name: 'quittance.pdf', mimeType: 'application/pdf', buffer: Buffer.from('pas un PDF') });
    await page.getByRole('button', { name: 'Envoyer le justificatif' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.locator('#field-file-error').textContent()).toBe('Ce fichier n’est ni un PDF, ni une image JPEG ou PNG.');
    await expectAccessible(page, 'my request, wrong file type');
  });
});

/**
 * Renewal, with the server's clock moved by the test (NODE_ENV=test, TEST_CLOCK=1): Élodie's demo
 * anti-gaspi access nears its end → the daily reminder job writes to her → she sees the reminder,
 * asks for the renewal from her file → a CCAS agent finds it tagged in the queue and grants it →
 * the new access starts the day after the old one ends. axe and 360 px on every page.
 */
describe('eligibility: reminded before the end, renewed', () => {
  const ELODIE = 'beneficiaire4@demo.glane.localhost';
  const suite = browserSuite({ env: { NODE_ENV: 'test', TEST_CLOCK: '1' }, database: true, viewport: PHONE });
  const grantsOf = (email: string) =>
    suite.db
      .selectFrom('eligibility_grant')
      .innerJoin('user', 'user.id', 'eligibility_grant.user_id')
      .select(['eligibility_grant.id', 'eligibility_grant.valid_from', 'eligibility_grant.valid_until', 'eligibility_grant.reminded_at'])
      .where('user.email', '=', email)
      .orderBy('eligibility_grant.valid_until')
      .execute();


  it('reminds Élodie ten days before her access ends; she asks for the renewal and the agent renews it', async () => {
    const [first] = await grantsOf(ELODIE);
    expect(first).toBeDefined();
    const ends = first!.valid_until;

    // Not yet due: the job reminds nobody far from the end.
    expect(await runJob(suite.glane, 'eligibility-expiry-reminders')).toMatchObject({ sent: 0 });
    // Ten days before the end (within ELIGIBILITY_REMINDER_DAYS = 14), 9:00 in Paris.
    const tenDaysBefore = new Date(Date.parse(`${ends}T08:00:00Z`) - 10 * 86_400_000);
    await moveClock(suite.glane, { at: tenDaysBefore.toISOString() });
    expect(await runJob(suite.glane, 'eligibility-expiry-reminders')).toMatchObject({ sent: 2, grants: 2 }); // Élodie and Youssef
    expect((await grantsOf(ELODIE))[0]?.reminded_at).not.toBeNull();
    // Once only.
    expect(await runJob(suite.glane, 'eligibility-expiry-reminders')).toMatchObject({ sent: 0 });

    // ── Élodie reads the reminder, then her file says the access ends soon and offers the renewal.
    const elodie = await suite.signedIn(ELODIE);
    const reminder = await latestMessageTo(elodie.context(), suite.glane.url, ELODIE, 'votre accès se termine bientôt');
    expect(reminder.body).toContain(`Dons anti-gaspi : jusqu'au ${ends.split('-').reverse().join('/')} (CCAS de Glaneville`);
    expect(reminder.body).toContain(`${suite.glane.url}/mon-dossier`);
    await elodie.goto(`${suite.glane.url}/mon-dossier`);
    const grants = elodie.locator('section', { has: elodie.getByRole('heading', { name: 'Mes accès' }) });
    expect(await grants.getByText(`jusqu’au ${frenchDate(ends)} inclus`).count()).toBe(1);
    await expectFitsPhone(elodie, 'my file, access ending soon');

    // Her household first (the demo has none), then the renewal.
    await declareHousehold(elodie, { firstName: 'Élodie', adults: 1, children: 1, situation: 'Famille monoparentale' });

    await grants.getByRole('link', { name: 'Demander le renouvellement' }).click();
    await elodie.waitForURL(/\/mon-dossier\/demande\?renouveler=/);
    expect(await elodie.getByRole('heading', { level: 1 }).textContent()).toBe('Renouveler un accès');
    expect(await elodie.getByText(`se termine le ${frenchDate(ends)}`, { exact: false }).count()).toBe(1);
    await expectFitsPhone(elodie, 'renewal form');
    await elodie.getByRole('checkbox', { name: 'Dons anti-gaspi', exact: true }).check();
    await elodie.getByLabel(/^CCAS de Glaneville/).check();
    await elodie.getByLabel('Ressources du mois').fill('1100');
    await elodie.getByLabel('Charges fixes du mois').fill('700');
    await elodie.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await elodie.waitForURL(/\/mon-dossier\/demandes\/[^/?]+\?envoyee=1$/);
    const requestId = new URL(elodie.url()).pathname.split('/').pop()!;
    await expectFitsPhone(elodie, 'renewal sent');

    // ── The CCAS agent finds it in the queue, tagged as a renewal, and grants it.
    const agent = await suite.signedIn('ccas.agent@demo.glane.localhost');
    await agent.goto(`${suite.glane.url}/organisations`);
    await agent.getByRole('link', { name: /^CCAS de / }).click();
    await agent.getByRole('link', { name: 'Demandes d’accès aux aides' }).click();
    await agent.waitForURL(/\/organisations\/[^/]+\/demandes$/);
    const item = agent.locator('ol.queue > li', { has: agent.locator(`a[href$="/demandes/${requestId}"]`) });
    expect(await item.getByText('Renouvellement').count()).toBeGreaterThan(0);
    await expectFitsPhone(agent, 'queue with a renewal');
    await item.locator(`a[href$="/demandes/${requestId}"]`).first().click();
    await agent.waitForURL(new RegExp(`/demandes/${requestId}$`));
    await expectFitsPhone(agent, 'renewal (agent)');
    expect(await agent.getByLabel('Accorder').isChecked()).toBe(true);
    await agent.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await agent.getByText('Décision enregistrée : accordée.', { exact: false }).waitFor();
    await expectFitsPhone(agent, 'renewal granted');

    // ── The new access follows the old one without a gap, and Élodie sees it.
    const after = await grantsOf(ELODIE);
    expect(after).toHaveLength(2);
    const next = after[1]!;
    expect(next.valid_from).toBe(new Date(Date.parse(`${ends}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
    expect(next.valid_until > ends).toBe(true);
    await elodie.goto(`${suite.glane.url}/mon-dossier`);
    expect(await grants.getByText(`du ${frenchDate(next.valid_from)} au ${frenchDate(next.valid_until)} inclus`).count()).toBe(1);
    expect(await grants.getByText('À venir', { exact: true }).count()).toBe(1);
    expect(await grants.getByRole('link', { name: 'Demander le renouvellement' }).count()).toBe(0);
    await expectFitsPhone(elodie, 'my file, renewed');
  });
});
