import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from './harness.js';
import { demoRouteIds, fillRoute, organisationOf, pageRoutes } from './routes.js';

/**
 * "Never a 500 for a user's mistake", for the pages: every page of src/routes is requested by an
 * anonymous visitor, the platform admin, a CCAS agent, a baker and a beneficiary of the demo town, with
 * real ids, with ids that are not, and with odd values for every query parameter the pages read; then
 * every form the page shows (without JavaScript, as the pages work) is sent back empty and with odd
 * values. No answer may be a server error, and none may show a stack trace.
 */

/** The query parameters the pages read (searchParams.get in src/routes and src/lib/web), with odd values. */
const ODD_QUERY =
  '?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&page=-1&limit=1e309&rayon=-5&l=zzz&statut=%27%3B--&format=exe' +
  '&personne=pas-un-id&dispositif=%00&code=%F0%9F%99%82&depuis=2026-02-31&apres=nope&redirect=https%3A%2F%2Fevil.example' +
  `&structure=${'a'.repeat(3000)}&email=x%40&lat=abc&lng=999&categories=zzz&ouvert=peut-etre`;

const ODD_IDS = ["x'%22<>", 'a'.repeat(300), '00000000-0000-4000-8000-000000000000'];

/** Form actions that end the session or the account: not sent, so the crawl keeps its sign-in. */
const ENDS_SESSION = /deconnexion|signOut|sign-out|supprim|delete|everywhere/i;

interface FormField {
  name: string;
  type: string;
  value: string;
  options: string[];
}
interface FoundForm {
  action: string;
  multipart: boolean;
  fields: FormField[];
}

function oddValue(f: FormField): string {
  switch (f.type) {
    case 'hidden':
      return f.value;
    case 'number':
      return '1e309';
    case 'date':
      return '2026-02-31';
    case 'time':
      return '25:61';
    case 'email':
      return 'x@';
    case 'tel':
      return '+33 0';
    case 'checkbox':
    case 'radio':
      return 'on';
    case 'select-one':
    case 'select-multiple':
      return 'zzz';
    default:
      return `'"<b>é${'ù'.repeat(6000)}`;
  }
}

describe('pages never answer a server error to odd input', () => {
  const suite = browserSuite({ database: true });

  async function formsOf(context: BrowserContext, url: string): Promise<FoundForm[]> {
    const page = await context.newPage();
    try {
      const res = await page.goto(url);
      if (!res || res.status() >= 400) return [];
      return await page.$$eval('form', (forms) =>
        forms
          .filter((f) => (f.getAttribute('method') ?? 'get').toLowerCase() === 'post')
          .map((f) => ({
            action: f.action,
            multipart: f.enctype === 'multipart/form-data',
            fields: [...f.querySelectorAll('input, select, textarea')]
              .map((el) => {
                const e = el as HTMLInputElement & HTMLSelectElement;
                return {
                  name: e.name,
                  type: e.type,
                  value: e.value,
                  options: e.tagName === 'SELECT' ? [...e.options].map((o) => o.value) : []
                };
              })
              .filter((x) => x.name)
          }))
      );
    } finally {
      await page.close();
    }
  }

  it('answers every page and every form without a 5xx, for every kind of visitor', async () => {
    const routes = pageRoutes().filter((r) => !r.startsWith('/dev'));
    expect(routes.length).toBeGreaterThan(50);
    const ids = await demoRouteIds(suite.db);
    const visitors: { who: string; email?: string }[] = [
      { who: 'anonymous' },
      { who: 'admin', email: 'admin@demo.glane.localhost' },
      { who: 'CCAS agent', email: 'ccas@demo.glane.localhost' },
      { who: 'baker', email: 'boulangerie@demo.glane.localhost' },
      { who: 'beneficiary', email: 'beneficiaire1@demo.glane.localhost' }
    ];
    const problems: string[] = [];
    let requests = 0;
    let formsSent = 0;
    const check = async (what: string, res: { status(): number; text(): Promise<string> }) => {
      requests += 1;
      const body = await res.text();
      if (res.status() >= 500) problems.push(`${res.status()} ${what}: ${body.replace(/\s+/g, ' ').slice(0, 160)}`);
      else if (/\bat .+\.(ts|js):\d+:\d+/.test(body)) problems.push(`stack trace in ${what}`);
    };

    for (const visitor of visitors) {
      const page = visitor.email ? await suite.signedIn(visitor.email, { javaScriptEnabled: false }) : await suite.newPage({ javaScriptEnabled: false });
      const context = page.context();
      await page.close();
      const orgId = await organisationOf(suite.db, ids, visitor.email);
      const get = (path: string) => context.request.get(`${suite.glane.url}${path}`, { maxRedirects: 0 });

      for (const route of routes) {
        const real = fillRoute(route, ids, orgId);
        await check(`${visitor.who} GET ${real}`, await get(real));
        await check(`${visitor.who} GET ${real}${ODD_QUERY.slice(0, 60)}…`, await get(`${real}${ODD_QUERY}`));
        if (route.includes('[')) {
          for (const odd of ODD_IDS) {
            const path = fillRoute(route, ids, orgId, odd);
            await check(`${visitor.who} GET ${path.slice(0, 80)}`, await get(path));
          }
        }
        for (const form of await formsOf(context, `${suite.glane.url}${real}`)) {
          if (ENDS_SESSION.test(form.action)) continue;
          for (const variant of ['empty', 'odd'] as const) {
            const values: Record<string, string> = {};
            for (const f of form.fields) values[f.name] = variant === 'empty' && f.type !== 'hidden' ? '' : oddValue(f);
            const options = { headers: { origin: suite.glane.url }, maxRedirects: 0 };
            const res = form.multipart
              ? await context.request.post(form.action, {
                  ...options,
                  multipart: Object.fromEntries(
                    form.fields.map((f) =>
                      f.type === 'file'
                        ? [f.name, { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(variant === 'odd' ? 'pas une image' : '') }]
                        : [f.name, values[f.name] ?? '']
                    )
                  )
                })
              : await context.request.post(form.action, { ...options, form: values });
            formsSent += 1;
            await check(`${visitor.who} POST ${form.action.replace(suite.glane.url, '')} (${variant}, from ${real})`, res);
          }
        }
      }
    }
    console.log(`pages robustness: ${routes.length} routes, ${requests} requests, ${formsSent} forms sent`);
    expect(requests).toBeGreaterThan(1000);
    expect(formsSent).toBeGreaterThan(50);
    expect(problems, problems.slice(0, 30).join('\n')).toEqual([]);
  }, 900_000);
});
