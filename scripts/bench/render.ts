import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../../functions/domain/events/events';
import { DEFAULT_PERSONALIZATION, levelRank, type PersonalizationLevel } from '../../functions/domain/customers/profile';
import { candidateContext, pickDeclared } from '../../functions/domain/rendering/context';
import { compileTemplate } from '../../functions/domain/rendering/precompile';
import { trackingFor } from '../../functions/domain/rendering/links';
import { compileTemplateSource, listTemplateNames, templatesDir } from '../../functions/publishing/templateSource';

/**
 * Rendering, both ways in the same process: the precompiled send path versus compiling MJML (and
 * Handlebars) for every email, as a naive sender would; each side makes a send's subject, HTML and text.
 * Inputs vary per email, so no cache flatters.
 */

export interface RenderResult {
  template: string;
  precompiledPerSecond: number;
  mjmlPerSendPerSecond: number;
  ratio: number;
  htmlBytes: number;
}

const LOCALES: Locale[] = ['en', 'pl', 'ru'];

function facts(i: number) {
  const locale = LOCALES[i % 3]!;
  const itemCount = 1 + (i % 4);
  return {
    locale,
    candidate: candidateContext({
      profile: { customerId: `c${i}`, firstName: `Name${i}`, locale, consent: {}, updatedAt: '' },
      cart: {
        customerId: `c${i}`,
        cartKey: 'k',
        items: Array.from({ length: itemCount }, (_, n) => ({
          sku: `S${n}`,
          name: `Item ${i}-${n}`,
          price: 9.99 + n + (i % 100),
          currency: ['EUR', 'PLN', 'RUB'][i % 3]!,
          qty: 1 + (n % 3),
          imageUrl: `https://cdn.example.com/${n}.png`,
        })),
        cartUrl: `https://shop.example.com/cart/${i}`,
        updatedAt: '2026-11-21T10:00:00Z',
      },
      consent: {
        status: 'granted',
        at: new Date(Date.UTC(2026, i % 12, 1 + (i % 28))).toISOString(),
        source: 'checkout',
        policyVersion: '1',
      },
      links: { unsubscribe: `https://t.example/u/tok${i}`, preferences: `https://t.example/preferences/tok${i}` },
      shop: { name: 'Demo Shop', postalAddress: 'ul. Przykładowa 1, Warszawa' },
    }),
  };
}

/** 20,000 consent dates across six years: a date of each email's own, as in real sends. */
const CONSENT_DATES = Array.from({ length: 20_000 }, (_, i) => ({
  grantedAt: new Date(Date.UTC(2020, 0, 1) + i * 2.6 * 3600_000).toISOString(),
}));

/** How long each side runs before the other takes its turn. */
const TURN_NS = 250_000_000n;

/**
 * Runs per second of wall time of both sides, taking turns of a quarter second, so that load from
 * elsewhere on the host slows both alike and their ratio holds still (measured one after the other,
 * the same code read 718–923× across runs). Each side's rate is its runs over its own time. The
 * precompiled side reads the clock every 64 runs: at a few microseconds a render, reading it each time
 * was a measurable share of what was measured.
 */
async function ratesInTurns(
  fast: (i: number) => unknown,
  slow: (i: number) => Promise<unknown>,
  ms: number,
): Promise<{ fast: number; slow: number }> {
  for (let i = 0; i < 2000; i++) fast(i);
  await slow(0);
  let fastRuns = 0;
  let slowRuns = 0;
  let fastNs = 0n;
  let slowNs = 0n;
  const budget = BigInt(ms) * 1_000_000n;
  while (fastNs + slowNs < budget) {
    let start = process.hrtime.bigint();
    let elapsed = 0n;
    while (elapsed < TURN_NS) {
      for (const end = fastRuns + 64; fastRuns < end;) fast(fastRuns++);
      elapsed = process.hrtime.bigint() - start;
    }
    fastNs += elapsed;
    start = process.hrtime.bigint();
    elapsed = 0n;
    while (elapsed < TURN_NS) {
      await slow(++slowRuns);
      elapsed = process.hrtime.bigint() - start;
    }
    slowNs += elapsed;
  }
  return { fast: fastRuns / (Number(fastNs) / 1e9), slow: slowRuns / (Number(slowNs) / 1e9) };
}

export async function benchRendering(seconds = 3): Promise<RenderResult[]> {
  const dir = templatesDir();
  const results: RenderResult[] = [];
  for (const name of listTemplateNames(dir)) {
    const published = await compileTemplateSource(dir, name, new Date().toISOString());
    const compiled = compileTemplate(published);
    // What a template needs beyond a cart (a product, recommendations) comes from its first sample.
    const first = Object.values(published.samples ?? {})[0];
    const sample = first?.data ?? {};
    const level = first?.level ?? DEFAULT_PERSONALIZATION;
    const inputs = Array.from({ length: 1000 }, (_, i) => {
      const { locale, candidate } = facts(i);
      const own = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
      return { locale, candidate: { ...sample, ...own } as Record<string, unknown> };
    });
    // As the send path renders: with the campaign's link tracking, and a consent date of each email's own,
    // so that no cache of formatted dates holds them all.
    const tracking = trackingFor('bench-campaign', 'step-1');
    const render = (i: number) => {
      const { locale, candidate } = inputs[i % inputs.length]!;
      candidate['consent'] = CONSENT_DATES[i % CONSENT_DATES.length];
      return compiled.render(locale, 'Europe/Warsaw', pickDeclared(candidate, published.fields, level).context, { level, tracking });
    };

    // The naive path: MJML, then Handlebars, compiled again for every email. Like the send path, it makes
    // all three parts a send needs (subject, HTML, plain text), so the ratio compares the same output.
    const source = readFileSync(join(dir, name, 'template.mjml'), 'utf8');
    const textSource = readFileSync(join(dir, name, 'template.txt.hbs'), 'utf8');
    const naive = async (i: number) => {
      const { html } = await mjml2html(source, { validationLevel: 'skip' });
      const { locale, candidate } = inputs[i % inputs.length]!;
      const strings = published.locales[locale] ?? published.locales.en!;
      const hb = Handlebars.create();
      hb.registerHelper('t', (key: string) => new hb.SafeString(hb.compile(strings.strings[key] ?? '')(candidate)));
      hb.registerHelper('money', (a: number, c: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: c }).format(a));
      hb.registerHelper('date', (d: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(d)));
      hb.registerHelper(
        'plural',
        (n: number, o: { hash: Record<string, string> }) => o.hash[new Intl.PluralRules(locale).select(n)] ?? o.hash['other'],
      );
      // The helpers templates call since {{link}}, {{image}} and requireLevel came, as plainly as a naive sender would.
      hb.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
      hb.registerHelper('link', (url: unknown) => (typeof url === 'string' && /^https?:\/\//.test(url) ? url : ''));
      hb.registerHelper(
        'image',
        (url: unknown, o: { hash: { alt?: string } }) =>
          new hb.SafeString(
            `<img src="${hb.Utils.escapeExpression(String(url ?? ''))}" alt="${hb.Utils.escapeExpression(o.hash.alt ?? '')}" />`,
          ),
      );
      hb.registerHelper('requireLevel', function (this: unknown, required: PersonalizationLevel, o: Handlebars.HelperOptions) {
        return levelRank(level) >= levelRank(required) ? o.fn(this) : o.inverse(this);
      });
      const context = pickDeclared(candidate, published.fields, level).context;
      return {
        subject: hb.compile(strings.subject, { noEscape: true })(context),
        html: hb.compile(html)(context),
        text: hb.compile(textSource, { noEscape: true })(context),
      };
    };
    const { fast: precompiledPerSecond, slow: mjmlPerSendPerSecond } = await ratesInTurns(render, naive, 2 * seconds * 1000);
    results.push({
      template: name,
      precompiledPerSecond: Math.round(precompiledPerSecond),
      mjmlPerSendPerSecond: Math.round(mjmlPerSendPerSecond * 10) / 10,
      ratio: Math.round(precompiledPerSecond / mjmlPerSendPerSecond),
      htmlBytes: Buffer.byteLength(render(0).html),
    });
  }
  return results;
}
