import { describe, expect, it } from 'vitest';
import { renderCardPdf } from './people.pdf.js';
import { pdfText } from './people.testing.js';

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
    const text = pdfText(pdf);
    expect(text).toContain('Élodie');
    expect(text).toContain('K7PM-3XQA');
    expect(text).toContain('CCAS de Glaneville-en-Barœul');
    expect(text).toContain('Carte Glane — à présenter lors du retrait');
    // Exactly these four lines of text: nothing else is printed.
    expect(text.trim().split('\n').sort()).toEqual(
      ['CCAS de Glaneville-en-Barœul', 'Carte Glane — à présenter lors du retrait', 'Élodie', 'K7PM-3XQA'].sort()
    );
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
});
