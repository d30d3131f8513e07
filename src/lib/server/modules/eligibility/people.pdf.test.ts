import { describe, expect, it } from 'vitest';
import { renderCardPdf } from './people.pdf.js';
import { pdfText } from './people.testing.js';

/** The drawn text with wrapped lines joined (by one space, or none after a hyphen). */
function oneLine(text: string): string {
  return text.replace(/-\n/g, '-').replace(/\s*\n\s*/g, ' ').trim();
}

/** Every text position (Tm) of the page, in points from the bottom left. */
function textPositions(raw: string): { x: number; y: number }[] {
  return [...raw.matchAll(/1 0 0 1 ([\d.-]+) ([\d.-]+) Tm/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}

const card = { firstName: 'Élodie', code: 'K7PM3XQA', organisationName: 'CCAS de Glaneville-en-Barœul' };

describe('printed card PDF', () => {
  it.each([
    ['a6', [297.64, 419.53]],
    ['id1', [242.65, 153.07]]
  ] as const)('%s: shows the first name, the code, the organisation and the purpose line, on one page of the right size', async (format, size) => {
    const pdf = await renderCardPdf(card, format, { compress: false, creationDate: new Date('2026-11-29T10:00:00Z') });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw.match(/\/Type \/Page\b/g)).toHaveLength(1);
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(raw);
    expect(Number(box?.[1])).toBeCloseTo(size[0], 1);
    expect(Number(box?.[2])).toBeCloseTo(size[1], 1);
    expect(raw).toContain('/Subtype /Image'); // the QR code
    const text = oneLine(pdfText(pdf));
    expect(text).toContain('Élodie');
    expect(text).toContain('K7PM-3XQA');
    expect(text).toContain('CCAS de Glaneville-en-Barœul');
    expect(text).toContain('Carte Glane — à présenter lors du retrait');
    // Exactly these four pieces of text (a long one may wrap): nothing else is printed.
    let rest = text;
    for (const piece of ['CCAS de Glaneville-en-Barœul', 'Carte Glane — à présenter lors du retrait', 'Élodie', 'K7PM-3XQA']) {
      rest = rest.replace(piece, '');
    }
    expect(rest.trim()).toBe('');
  });

  it('keeps the first name out of the metadata', async () => {
    const pdf = await renderCardPdf(card, 'a6', { compress: false });
    const raw = pdf.toString('latin1');
    expect(raw).not.toMatch(/lodie/);
    expect(raw).toContain('/Title');
  });

  it('is compressed by default and still a PDF', async () => {
    const pdf = await renderCardPdf(card, 'id1');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/FlateDecode');
    expect(pdf.byteLength).toBeGreaterThan(1000);
  });

  it.each(['a6', 'id1'] as const)('%s: prints names outside Latin-1 with the embedded DejaVu font, and they still fit', async (format) => {
    const names = ['Łucja', 'Şükrü', 'Nguyễn', 'Олена', 'Ștefan', 'Αικατερίνη-Παναγιώτα Łucja-Nguyễn'];
    for (const firstName of names) {
      const pdf = await renderCardPdf({ ...card, firstName, organisationName: 'Épicerie solidaire Ștefan cel Mare' }, format, {
        compress: false
      });
      const raw = pdf.toString('latin1');
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold/); // embedded subset, not a standard font
      expect(raw).toContain('/FontFile2');
      expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Courier)/);
      const text = oneLine(pdfText(pdf));
      expect(text).toContain(firstName);
      expect(text).toContain('Épicerie solidaire Ștefan cel Mare');
      expect(text).not.toContain('?');
      expect(text).not.toContain('\ufffd');
      // One page, every line starting inside it.
      expect(raw.match(/\/Type \/Page\b/g)).toHaveLength(1);
      const [w, h] = format === 'a6' ? [297.64, 419.53] : [242.65, 153.07];
      for (const p of textPositions(raw)) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThan(w);
        expect(p.y).toBeGreaterThan(0);
        expect(p.y).toBeLessThan(h);
      }
    }
  });

  it('does not fail on characters DejaVu lacks (CJK): they print as "?", the rest as typed', async () => {
    const pdf = await renderCardPdf({ ...card, firstName: '明美 Łucja' }, 'id1', { compress: false });
    const text = oneLine(pdfText(pdf));
    expect(text).toContain('?? Łucja');
    expect(text).not.toContain('\ufffd');
  });
});
