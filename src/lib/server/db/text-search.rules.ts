/**
 * Pure text folding for the shared full-text search (no I/O). The same folding is applied to the
 * indexed text and to the user's query, so `epicerie`, `Épicerie` and `ÉPICERIE` meet on both
 * SQLite (FTS5) and PostgreSQL (tsvector), whatever each engine's own folding does.
 */

/** The most terms a query keeps: more adds cost and no precision for a directory search. */
export const MAX_QUERY_TERMS = 10;

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };
const LIGATURE_RE = /[œæßøłđı]/g;
const COMBINING_MARKS_RE = /\p{M}+/gu;
const WORD_RE = /[\p{L}\p{N}]+/gu;

/**
 * Lowercases, decomposes (NFKD, so `ﬁ` → `fi` too), strips combining marks (`é` → `e`), expands the
 * ligatures French writes (`œ` → `oe`, `æ` → `ae`, also `ß` → `ss`) and collapses whitespace.
 * Idempotent: `foldText(foldText(s)) === foldText(s)`.
 */
export function foldText(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(COMBINING_MARKS_RE, '')
    .replace(LIGATURE_RE, (c) => LIGATURES[c] ?? c)
    .replace(/\s+/gu, ' ')
    .trim();
}

/** The folded words of a text: runs of letters and digits; punctuation and symbols separate words. */
function words(s: string): string[] {
  return foldText(s).match(WORD_RE) ?? [];
}

/**
 * Splits a user's query into folded search terms: punctuation and operators are dropped (so `"`,
 * `(`, `-`, `*`, `:` can never reach the engine's query syntax), duplicates removed, at most
 * MAX_QUERY_TERMS kept. Every term is made of letters and digits only. No term → no search.
 */
export function toQueryTerms(q: string): string[] {
  return [...new Set(words(q))].slice(0, MAX_QUERY_TERMS);
}

/**
 * The form a document body is stored in the search index: its folded words separated by single
 * spaces. Both engines then tokenise exactly the words `toQueryTerms` produces (PostgreSQL's parser
 * would otherwise keep `a.b@c.fr` or `saint-pierre` as single tokens a query could not reach).
 */
export function toSearchText(body: string): string {
  return words(body).join(' ');
}
