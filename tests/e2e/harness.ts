import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type ViewportSize } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { openSqlite, type Database } from '../../src/lib/server/db/database.js';
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

/** The small phone every journey is checked on (360 px wide). */
export const PHONE: ViewportSize = { width: 360, height: 740 };
/** A wide desktop screen. */
export const DESKTOP: ViewportSize = { width: 1280, height: 900 };

/** Debian's Chromium, headless, with a fresh profile; never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface BrowserSuiteOptions {
  /** startGlane's environment; a function when it depends on what an earlier beforeAll started. */
  env?: Record<string, string> | (() => Record<string, string>);
  /** Opens the SQLite file the process serves as `suite.db` (for fixtures and reading results). */
  database?: boolean;
  /** The viewport of the suite's contexts unless one is given (Playwright's 1280×720 when unset). */
  viewport?: ViewportSize;
}

/** One describe's running Glane and Chromium, and French contexts closed after each test. */
export interface BrowserSuite {
  readonly glane: RunningGlane;
  readonly browser: Browser;
  /** The served database (only with `database: true`). */
  readonly db: Kysely<DB>;
  /** A context in French (fr-FR) at the suite's viewport, overridable by `options`. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A new page in a context of its own (see newContext). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A new page in a context of its own, signed in with a password (the demo accounts' by default). */
  signedIn(email: string, options?: BrowserContextOptions & { password?: string }): Promise<Page>;
}

/**
 * Registers, in the calling describe, the hooks that start Glane (the built app) and Chromium before
 * its tests, close the contexts it opened after each test, and stop everything after them. Hooks the
 * file registers before calling it run before its start and after its stop.
 */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let glane: RunningGlane | undefined;
  let browser: Browser | undefined;
  let database: Database | undefined;
  const contexts: BrowserContext[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`browserSuite: ${what} is not started (use it inside a test or a later hook)`);
    return value;
  };

  beforeAll(async () => {
    glane = await startGlane(typeof options.env === 'function' ? options.env() : options.env);
    browser = await launchBrowser();
    if (options.database) database = openSqlite(glane.sqlitePath);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await database?.close();
    await browser?.close();
    await glane?.stop();
  });

  const suite: BrowserSuite = {
    get glane() {
      return started(glane, 'Glane');
    },
    get browser() {
      return started(browser, 'the browser');
    },
    get db() {
      return started(database, 'the database (database: true)').db;
    },
    async newContext(contextOptions = {}) {
      const context = await suite.browser.newContext({
        locale: 'fr-FR',
        ...(options.viewport ? { viewport: options.viewport } : {}),
        ...contextOptions
      });
      contexts.push(context);
      return context;
    },
    async newPage(contextOptions = {}) {
      return (await suite.newContext(contextOptions)).newPage();
    },
    async signedIn(email, { password = DEMO_PASSWORD, ...contextOptions } = {}) {
      const page = await suite.newPage(contextOptions);
      await signInWithPassword(page, suite.glane.url, email, password);
      return page;
    }
  };
  return suite;
}

/** A stand-in for the national address API (api-adresse.data.gouv.fr format), with the queries it was asked. */
export interface AddressStub {
  readonly url: string;
  readonly queries: string[];
  /** While true, the stub answers 503 to every search, as the national API does when it is down. */
  unavailable: boolean;
}

/**
 * Registers, in the calling describe, hooks that start an address stub (one address in the demo town,
 * for "moulin" or "mairie") and stop it. Call it before browserSuite, whose Glane then starts after the
 * stub (`env: () => ({ ADDRESS_API_URL: stub.url })`) and stops before it.
 */
export function addressStub(): AddressStub {
  const queries: string[] = [];
  let url: string | undefined;
  const state = { unavailable: false };
  const server = createServer((req, res) => {
    const requested = new URL(req.url ?? '/', 'http://stub');
    queries.push(requested.searchParams.get('q') ?? '');
    if (state.unavailable) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('Service Unavailable');
      return;
    }
    const features = /moulin|mairie/i.test(requested.searchParams.get('q') ?? '')
      ? [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [3.0741, 50.6399] },
            properties: { label: '2 Rue du Moulin 59999 Glaneville-en-Barœul', citycode: '59999', city: 'Glaneville-en-Barœul', postcode: '59999' }
          }
        ]
      : [];
    res.writeHead(requested.pathname === '/search/' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ type: 'FeatureCollection', features }));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  });
  return {
    get url() {
      if (url === undefined) throw new Error('addressStub: not started yet');
      return url;
    },
    queries,
    get unavailable() {
      return state.unavailable;
    },
    set unavailable(value: boolean) {
      state.unavailable = value;
    }
  };
}

/** From "Mes organisations" to the places of the first organisation whose link matches (French labels). */
export async function openPlaces(page: Page, baseUrl: string, organisation: RegExp): Promise<void> {
  await page.goto(`${baseUrl}/organisations`);
  await page.getByRole('link', { name: organisation }).first().click();
  await page.getByRole('link', { name: 'Lieux et services' }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/lieux'));
}

/** From "Mes organisations" to the editing page of one place of an organisation; returns the place's slug. */
export async function openPlaceEditing(page: Page, baseUrl: string, organisation: RegExp, placeName: string): Promise<string> {
  await openPlaces(page, baseUrl, organisation);
  await page.getByRole('link', { name: `Modifier ${placeName}` }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/modifier'));
  return new URL(page.url()).pathname.split('/')[2]!;
}

/** A tile server the page's CSP refuses (plain http): no tiles in tests, every tile fails at once. */
export const NO_TILES = 'http://127.0.0.1:9/tiles/{z}/{x}/{y}.png';

/** No sideways scrolling (at the phone's 360 px) and no serious axe violation; `where` names the state. */
export async function expectFitsPhone(page: Page, where: string): Promise<void> {
  expect(await overflowsHorizontally(page), `${where} scrolls sideways at 360 px`).toBe(false);
  await expectAccessible(page, where);
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
