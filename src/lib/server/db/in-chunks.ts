/**
 * Lists of values that grow with the data, bound as `.where(column, 'in', list)`: each value is one
 * query parameter, and the engines cap them. SQLite refuses a statement with more than 32,766
 * ("too many SQL variables"); PostgreSQL's wire protocol counts them in 16 bits, so the server
 * misreads a bind message past 65,535 (an error), and PGlite already past 32,767 (a silently wrong
 * answer, then a connection that answers the next queries wrong too). Such a list goes
 * through `inChunks`: one query per slice of the list, every slice far under both limits. The
 * directory's searches, which have the dialect at hand, bind their id lists as one parameter
 * instead (`entityIdIn` in geosearch.ts).
 */

/** Values bound per query by inChunks: far under both engines' limits, with room for the query's other parameters. */
export const IN_CHUNK_SIZE = 1_000;

/**
 * Runs `run` once per slice of the distinct `values` (at most `size` values each, in their first
 * order) and returns each slice's result, in order: rows to concatenate (`.flat()`), counts to add.
 * Runs no query for an empty list (Kysely cannot write an empty `IN ()`). Duplicates are dropped so
 * that the slices' answers add up to the one query's: a row matches exactly one slice.
 * The slices run one after the other: given a Transaction as `db`, every slice runs in it, so a
 * delete or an update in slices commits or rolls back whole. Suits queries whose answer is a union
 * over the values (filters, or groups and orders within one value); not one ORDER BY or LIMIT over all.
 */
export async function inChunks<V, T>(values: Iterable<V>, run: (chunk: V[]) => Promise<T>, size = IN_CHUNK_SIZE): Promise<T[]> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('inChunks: size must be a positive integer');
  const distinct = [...new Set(values)];
  const results: T[] = [];
  for (let start = 0; start < distinct.length; start += size) results.push(await run(distinct.slice(start, start + size)));
  return results;
}
