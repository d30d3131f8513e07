import { describe, expect, it } from 'vitest';
import { AppError } from '../server/errors';
import { documentsFromForm, householdFromForm, oversizedUpload, requestFailure, resourcesFromForm } from './requests.server';
import { checkedSchemes } from './requests';

const communes = [{ insee: '59999', name: 'Glaneville-en-Barœul' }];

function form(entries: [string, string | Blob][]): FormData {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
}

describe('eligibility forms', () => {
  it('reads the household: size is adults + children, the commune is named from the list', () => {
    const data = form([
      ['household.firstName', 'Inès'],
      ['household.adults', '1'],
      ['household.children', '2'],
      ['household.isSingleParent', 'on'],
      ['household.profile', 'famille-monoparentale'],
      ['household.communeInsee', '59999']
    ]);
    expect(householdFromForm(data, communes, 'household.')).toEqual({
      firstName: 'Inès',
      adults: 1,
      children: 2,
      size: 3,
      isSingleParent: true,
      profile: 'famille-monoparentale',
      communeInsee: '59999',
      communeName: 'Glaneville-en-Barœul'
    });
    // What is not a number is passed on as typed, so the schema names the field.
    expect(householdFromForm(form([['adults', 'deux']]), communes)).toMatchObject({ adults: 'deux', size: 'deux', communeInsee: null });
  });

  it('reads euros into cents, keeps what is not an amount, and empty as null', () => {
    expect(
      resourcesFromForm(form([['monthlyResourcesCents', '1 234,56'], ['monthlyChargesCents', 'beaucoup'], ['monthlyBenefitsCents', '']]))
    ).toEqual({ monthlyResourcesCents: 123_456, monthlyChargesCents: 'beaucoup', annualTaxableIncomeCents: null, monthlyBenefitsCents: null });
  });

  it('keeps the filled document slots with their field names', async () => {
    const docs = await documentsFromForm(
      form([
        ['documents.0.label', 'Avis'],
        ['documents.0.file', new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])], 'a.pdf')],
        ['documents.1.label', ''],
        ['documents.1.file', new File([], '')],
        ['documents.2.label', 'Sans fichier']
      ])
    );
    expect(docs.map((d) => [d.fieldPrefix, d.label, d.file?.byteLength])).toEqual([
      ['documents.0.', 'Avis', 5],
      ['documents.2.', 'Sans fichier', undefined]
    ]);
  });

  it('puts the services’ refusals next to the fields in the person’s words, and keeps the ticked schemes', () => {
    const data = form([['schemes', 'anti-gaspi'], ['schemes', 'paniers'], ['organisationId', 'x']]);
    const tooBig = requestFailure(
      new AppError('payload_too_large', 'big', { maxKb: 5120, fields: [{ path: 'documents.1.file', message: 'larger', code: 'too_big' }] }),
      data
    );
    expect(tooBig.status).toBe(413);
    expect(tooBig.data.fields['documents.1.file']).toEqual({ key: 'requestErr.fileTooLarge', params: { max: 5120 } });
    expect(checkedSchemes(tooBig.data, [])).toEqual(['anti-gaspi', 'paniers']);

    const past = requestFailure(new AppError('validation_failed', 'x', { fields: [{ path: 'validUntil', message: 'past', code: 'too_small' }] }), data);
    expect(past.data.fields.validUntil).toEqual({ key: 'requestErr.validPast' });
    const type = requestFailure(new AppError('unsupported_media_type', 'x', { fields: [{ path: 'file', message: 'not a PDF' }] }), data);
    expect(type.status).toBe(415);
    expect(type.data.fields.file).toEqual({ key: 'requestErr.fileType' });
    expect(() => requestFailure(new Error('boom'), data)).toThrow('boom');
  });
});

describe('uploads through pages', () => {
  it('refuses a form announced larger than its documents may be, before reading it', () => {
    const big = new Request('http://x/', { method: 'POST', headers: { 'content-length': String((100 * 3 + 513) * 1024) } });
    const refused = oversizedUpload(big, 100, 3);
    expect(refused?.status).toBe(413);
    expect(refused?.data.fields['documents.0.file']).toEqual({ key: 'requestErr.fileTooLarge', params: { max: 100 } });
    const fine = new Request('http://x/', { method: 'POST', headers: { 'content-length': String(300 * 1024) } });
    expect(oversizedUpload(fine, 100, 3)).toBeNull();
  });
});
