import { describe, expect, it } from 'vitest';
import {
  addDays,
  canRenewGrant,
  daysBetween,
  documentFileName,
  isGrantActive,
  isGrantUpcoming,
  isSuperseded,
  isOpen,
  parisDate,
  sniffDocumentType
} from './requests.rules.js';

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('sniffDocumentType', () => {
  it('knows a PDF, a JPEG and a PNG from their first bytes', () => {
    expect(sniffDocumentType(text('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(sniffDocumentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10))).toBe('image/jpeg');
    expect(sniffDocumentType(bytes(0xff, 0xd8, 0xff, 0xe1))).toBe('image/jpeg');
    expect(sniffDocumentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).toBe('image/png');
  });

  it('refuses anything else, whatever it claims to be', () => {
    expect(sniffDocumentType(text('GIF89a'))).toBeNull();
    expect(sniffDocumentType(text('RIFF\0\0\0\0WEBPVP8 '))).toBeNull();
    expect(sniffDocumentType(text('<html>%PDF-'))).toBeNull();
    expect(sniffDocumentType(text('PK\u0003\u0004 docx'))).toBeNull();
    expect(sniffDocumentType(text('%PDF'))).toBeNull(); // the dash is part of the signature
    expect(sniffDocumentType(bytes(0xff, 0xd8))).toBeNull(); // too short
    expect(sniffDocumentType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull();
    expect(sniffDocumentType(new Uint8Array(0))).toBeNull();
  });
});

describe('documentFileName', () => {
  it('turns the label into plain ASCII with the real extension', () => {
    expect(documentFileName("Avis d'imposition 2026", 'application/pdf')).toBe('avis-d-imposition-2026.pdf');
    expect(documentFileName('Attestation CAF — été', 'image/jpeg')).toBe('attestation-caf-ete.jpg');
    expect(documentFileName('Cœur', 'image/png')).toBe('coeur.png');
    expect(documentFileName('"; rm -rf /', 'application/pdf')).toBe('rm-rf.pdf');
    expect(documentFileName('///', 'application/pdf')).toBe('document.pdf');
    expect(documentFileName('x'.repeat(200), 'application/pdf')).toBe(`${'x'.repeat(60)}.pdf`);
  });
});

describe('dates', () => {
  it('today is the date in Paris, whatever the server’s zone', () => {
    expect(parisDate(new Date('2026-11-29T22:59:59Z'))).toBe('2026-11-29');
    expect(parisDate(new Date('2026-11-29T23:00:00Z'))).toBe('2026-11-30'); // winter: UTC+1
    expect(parisDate(new Date('2026-07-14T21:59:59Z'))).toBe('2026-07-14');
    expect(parisDate(new Date('2026-07-14T22:00:00Z'))).toBe('2026-07-15'); // summer: UTC+2
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-11-29', 183)).toBe('2027-05-31');
    expect(addDays('2027-12-31', 1)).toBe('2028-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-11-29', '2026-12-13')).toBe(14);
    expect(daysBetween('2026-11-29', '2026-11-01')).toBe(-28);
  });
});

describe('requests and grants', () => {
  it('a request is open while submitted or incomplete', () => {
    expect(['submitted', 'incomplete', 'granted', 'refused', 'withdrawn'].map(isOpen)).toEqual([true, true, false, false, false]);
  });

  it('a grant is active between its dates inclusive, unless revoked', () => {
    const g = { validFrom: '2026-11-29', validUntil: '2027-05-31', revokedAt: null };
    expect(isGrantActive(g, '2026-11-29')).toBe(true);
    expect(isGrantActive(g, '2027-05-31')).toBe(true);
    expect(isGrantActive(g, '2027-06-01')).toBe(false);
    expect(isGrantActive(g, '2026-11-28')).toBe(false);
    expect(isGrantActive({ ...g, revokedAt: '2026-12-01T10:00:00Z' }, '2026-12-02')).toBe(false);
  });

  it('a renewable grant may be renewed within the window before its end, or after it', () => {
    const g = { validUntil: '2027-05-31', revokedAt: null, isRenewable: true };
    expect(canRenewGrant(g, '2027-05-16', 14)).toBe(false);
    expect(canRenewGrant(g, '2027-05-17', 14)).toBe(true);
    expect(canRenewGrant(g, '2027-09-01', 14)).toBe(true);
    expect(canRenewGrant({ ...g, isRenewable: false }, '2027-05-30', 14)).toBe(false);
    expect(canRenewGrant({ ...g, revokedAt: '2027-01-01T00:00:00Z' }, '2027-05-30', 14)).toBe(false);
  });

  it('a grant followed by a later one of the same scheme is superseded; one starting after today is upcoming', () => {
    const old = { id: 'a', schemeId: 's1', validFrom: '2026-11-29', validUntil: '2027-05-31', revokedAt: null };
    const next = { id: 'b', schemeId: 's1', validFrom: '2027-06-01', validUntil: '2027-11-30', revokedAt: null };
    const other = { id: 'c', schemeId: 's2', validFrom: '2026-11-29', validUntil: '2027-12-31', revokedAt: null };
    expect(isSuperseded(old, [old, other])).toBe(false);
    expect(isSuperseded(old, [old, next, other])).toBe(true);
    expect(isSuperseded(next, [old, next])).toBe(false);
    expect(isSuperseded(old, [old, { ...next, revokedAt: '2027-05-01T00:00:00Z' }])).toBe(false);
    expect(isGrantUpcoming(next, '2027-05-25')).toBe(true);
    expect(isGrantUpcoming(next, '2027-06-01')).toBe(false);
    expect(isGrantUpcoming({ ...next, revokedAt: '2027-05-01T00:00:00Z' }, '2027-05-25')).toBe(false);
  });
});
