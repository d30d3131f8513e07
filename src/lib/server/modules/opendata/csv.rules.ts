/**
 * CSV of the data·inclusion exports: RFC 4180 (comma, CRLF, fields quoted when they hold a comma,
 * a quote, CR or LF; quotes doubled), UTF-8 with a byte-order mark so Excel reads accents right,
 * list values joined with `|`, null as an empty field. Pure.
 */

export const CSV_BOM = '\uFEFF';

/** One field, quoted when needed. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.join('|') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole document (BOM, header line, one line per record, CRLF line ends). */
export function toCsv<T extends object>(columns: readonly (keyof T & string)[], records: readonly T[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const r of records) lines.push(columns.map((c) => csvField(r[c])).join(','));
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/**
 * Parses RFC 4180 text back into rows of fields (BOM skipped): what the tests use to check that
 * quoting round-trips, and what a CSV import would start from.
 */
export function parseCsv(text: string): string[][] {
  const input = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && input[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
