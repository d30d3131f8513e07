import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { DB } from '../../src/lib/server/db/schema.js';
import { freePort } from '../helpers/net.js';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
];

export interface RunningGlane {
  url: string;
  /** The SQLite file the process serves (tests may open it to write fixtures or read results). */
  sqlitePath: string;
  stop(): Promise<void>;
  output(): string;
}

/** Starts the built Glane (the real process) on a free port over a fresh SQLite file with demo data. */
export async function startGlane(env: Record<string, string> = {}): Promise<RunningGlane> {
  const dir = mkdtempSync(join(tmpdir(), 'glane-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sqlitePath = env.SQLITE_PATH ?? join(dir, 'glane.db');
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/lib/server/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      LOG_LEVEL: 'warn',
      ...env,
      SQLITE_PATH: sqlitePath
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`Glane exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/api/ready`)).status === 200) break;
    } catch {
      // not yet listening
    }
    if (i > 300) throw new Error(`Glane did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    sqlitePath,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Debian's Chromium, headless, with a fresh profile; never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.x A/AA rules) on the page; returns serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP does not block it.
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  })) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable summary of violations for assertion messages. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n  ')}`)
    .join('\n');
}

/** True when the page scrolls horizontally (content wider than the viewport). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** Demo accounts' shared password (README "Demo accounts"). */
export const DEMO_PASSWORD = 'glane-demo-2026';

let counter = 0;
/** A fresh, unique email address (the `.test` TLD never delivers). */
export function uniqueEmail(prefix = 'e2e'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.test`;
}

/** One message captured by the dev mailbox, read from `/dev/boite-mail` as a person would. */
export interface CapturedMessage {
  subject: string;
  /** The "À" line: recipient and channel, e.g. `a@example.test (E-mail)`. */
  to: string;
  body: string;
}

/** Reads the dev mailbox page (newest first) in a new tab of the given context, then closes the tab. */
export async function readMailbox(context: BrowserContext, baseUrl: string): Promise<CapturedMessage[]> {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/dev/boite-mail`);
    return await page.locator('ol.mailbox > li').evaluateAll((items) =>
      items.map((li) => ({
        subject: li.querySelector('h2')?.textContent?.trim() ?? '',
        to: li.querySelector('dd')?.textContent?.trim() ?? '',
        body: li.querySelector('pre')?.textContent ?? ''
      }))
    );
  } finally {
    await page.close();
  }
}

/** The newest captured message to `recipient` whose subject contains `subjectPart`; throws when none. */
export async function latestMessageTo(
  context: BrowserContext,
  baseUrl: string,
  recipient: string,
  subjectPart = ''
): Promise<CapturedMessage> {
  const messages = await readMailbox(context, baseUrl);
  const found = messages.find((m) => m.to.startsWith(recipient) && m.subject.includes(subjectPart));
  if (!found) throw new Error(`no message to ${recipient} (${subjectPart}) in ${JSON.stringify(messages.map((m) => [m.to, m.subject]))}`);
  return found;
}

/** The 6-digit code in a message's body. */
export function codeIn(message: CapturedMessage): string {
  const match = /\b(\d{6})\b/.exec(message.body);
  if (!match) throw new Error(`no code in: ${message.body}`);
  return match[1] ?? '';
}

/**
 * Fills and submits `/inscription` by email (French labels) from the current page, then, as the
 * person would, reads the code sent to the address in the dev mailbox and enters it on the code
 * page: the account is open and signed in; waits for the page after. `enterCode: false` stops on
 * the code page (for a taken address, where no code comes).
 */
export async function fillSignUp(
  page: Page,
  person: { name: string; email: string; password: string },
  options: { enterCode?: boolean } = {}
): Promise<void> {
  await page.getByLabel('Votre nom ou prénom').fill(person.name);
  await page.getByLabel('Adresse e-mail').fill(person.email);
  await page.getByLabel('Mot de passe').fill(person.password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await page.waitForURL((u) => u.pathname === '/connexion/code');
  if (options.enterCode === false) return;
  const message = await latestMessageTo(page.context(), new URL(page.url()).origin, person.email, 'ouvrir votre compte');
  await page.getByLabel('Code à 6 chiffres').fill(codeIn(message));
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await page.waitForURL((u) => u.pathname !== '/connexion/code');
}

/** Signs in with a password on `/connexion` (French labels) and waits to leave the sign-in page. */
export async function signInWithPassword(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

/** Asserts (with vitest) that axe finds no serious or critical violation; `where` names the state. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations, `${where} (${page.url()}):\n${describeViolations(violations)}`).toEqual([]);
}

/**
 * axe for a page of a context without JavaScript (where axe itself cannot run): its server-rendered
 * HTML, scripts removed, is loaded into a scripted page at the same address (so styles apply), then checked.
 */
export async function expectAccessibleWithoutScripts(browser: Browser, page: Page, where: string): Promise<void> {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const context = await browser.newContext({ locale: 'fr-FR', viewport: page.viewportSize() ?? undefined });
  try {
    const copy = await context.newPage();
    const target = page.url();
    await copy.route((url) => url.href === target, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await copy.goto(page.url());
    await copy.waitForLoadState('load');
    expect(await copy.locator('main').textContent(), 'the copy shows the same page').toBe(await page.locator('main').textContent());
    const violations = await seriousViolations(copy);
    expect(violations, `${where} (${page.url()}, no JavaScript):\n${describeViolations(violations)}`).toEqual([]);
  } finally {
    await context.close();
  }
}

/** The organisation of which the demo account `email` is a member (e.g. the bakery of `boulangerie@…`). */
export async function organisationOfMember(db: Kysely<DB>, email: string): Promise<string> {
  const row = await db
    .selectFrom('membership')
    .innerJoin('user', 'user.id', 'membership.user_id')
    .select('membership.organisation_id as orgId')
    .where('user.email', '=', email)
    .executeTakeFirstOrThrow();
  return row.orgId;
}

/**
 * Moves the server's clock (Glane started with NODE_ENV=test and TEST_CLOCK=1): forward by minutes, or
 * to an instant. Returns the server's new time.
 */
export async function moveClock(glane: RunningGlane, move: { advanceMinutes: number } | { at: string }): Promise<Date> {
  const res = await fetch(`${glane.url}/api/test/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(move)
  });
  if (res.status !== 200) throw new Error(`moving the test clock: ${res.status} ${await res.text()}`);
  return new Date(((await res.json()) as { now: string }).now);
}

/** Runs one scheduled job (jobs.ts name) now on a Glane started with TEST_CLOCK=1; returns its result. */
export async function runJob(glane: RunningGlane, name: string): Promise<unknown> {
  const res = await fetch(`${glane.url}/api/test/jobs/${encodeURIComponent(name)}`, { method: 'POST' });
  if (res.status !== 200) throw new Error(`running job ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: unknown }).result;
}
