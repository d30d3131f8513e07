import { fail, type ActionFailure } from '@sveltejs/kit';
import { fieldMessage, type FieldMessage } from '../i18n/fields';
import { AppError } from '../server/errors';
import { HTTP_STATUS } from '../server/http/errors';
import type { IncomingDocument } from '../server/modules/eligibility/requests.service';
import { parseEuros } from './euros';
import { isAppErrorLike, keptValues, optionalString, stringField } from './forms.server';
import type { RequestFormFailure } from './requests';

/**
 * Eligibility forms (household, request, decision, desk) as the requests service's input, and its
 * refusals as messages next to the fields. Forms post euros; the service takes cents.
 */

/** The money fields of a request form (named like the service's fields; the values are euros). */
export const MONEY_FIELDS = ['monthlyResourcesCents', 'monthlyChargesCents', 'annualTaxableIncomeCents', 'monthlyBenefitsCents'] as const;

/** Proof document slots offered by the forms (file + label each). */
export const DOCUMENT_SLOTS = 3;

/** A whole number as typed, else the text itself (so the schema names the field), undefined when empty. */
function count(data: FormData, name: string): number | string | undefined {
  const v = stringField(data, name).trim();
  if (v === '') return undefined;
  return /^\d{1,3}$/.test(v) ? Number(v) : v;
}

/**
 * The household fields of a form (`prefix` = 'household.' on the desk form); the commune's name
 * comes from the territory's list.
 */
export function householdFromForm(
  data: FormData,
  communes: readonly { insee: string; name: string }[],
  prefix = ''
): Record<string, unknown> {
  const adults = count(data, `${prefix}adults`);
  const children = count(data, `${prefix}children`) ?? 0;
  const communeInsee = optionalString(data, `${prefix}communeInsee`);
  return {
    firstName: stringField(data, `${prefix}firstName`),
    adults,
    children,
    size: typeof adults === 'number' && typeof children === 'number' ? adults + children : adults,
    isSingleParent: data.get(`${prefix}isSingleParent`) === 'on',
    profile: stringField(data, `${prefix}profile`),
    communeInsee: communeInsee ?? null,
    communeName: communes.find((c) => c.insee === communeInsee)?.name ?? null
  };
}

/** The four amounts in cents (null when empty; the typed text when it is not an amount, so it is reported). */
export function resourcesFromForm(data: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of MONEY_FIELDS) {
    const typed = stringField(data, name);
    const cents = parseEuros(typed);
    out[name] = cents === undefined ? typed : cents;
  }
  return out;
}

/**
 * The filled document slots of a form (`documents.N.file`, `documents.N.label`), bytes read. A slot
 * with neither file nor label is skipped; a half-filled one is sent so the service names what is missing.
 */
export async function documentsFromForm(data: FormData, slots = DOCUMENT_SLOTS): Promise<IncomingDocument[]> {
  const out: IncomingDocument[] = [];
  for (let i = 0; i < slots; i++) {
    const file = data.get(`documents.${i}.file`);
    const label = stringField(data, `documents.${i}.label`);
    const hasFile = file instanceof Blob && file.size > 0;
    if (!hasFile && label.trim() === '') continue;
    out.push({
      file: hasFile ? new Uint8Array(await file.arrayBuffer()) : undefined,
      label,
      fieldPrefix: `documents.${i}.`
    });
  }
  return out;
}

/** One document slot of a "add a document" form (`file`, `label`). */
export async function documentFromForm(data: FormData): Promise<IncomingDocument> {
  const file = data.get('file');
  return {
    file: file instanceof Blob && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : undefined,
    label: stringField(data, 'label')
  };
}

interface Issue {
  path: string;
  message: string;
  code?: string;
}

/** The catalogue message for a refusal of the eligibility services, else the generic one. */
function messageFor(issue: Issue, errorCode: string, maxKb: number | undefined): FieldMessage {
  const leaf = issue.path.split('.').pop() ?? issue.path;
  const m = issue.message.toLowerCase();
  if (leaf === 'file') {
    if (errorCode === 'payload_too_large') return { key: 'requestErr.fileTooLarge', params: { max: maxKb ?? '' } };
    if (errorCode === 'unsupported_media_type') return { key: 'requestErr.fileType' };
    return { key: 'requestErr.fileMissing' };
  }
  if (leaf === 'label') return { key: 'requestErr.label' };
  if (issue.path === 'household') return { key: 'requestErr.householdFirst' };
  if (leaf === 'organisationId') return { key: errorCode === 'conflict' ? 'requestErr.openRequest' : 'requestErr.organisation' };
  if (leaf === 'schemes') {
    if (errorCode === 'forbidden') return { key: 'requestErr.notDecider' };
    return { key: /decides none/.test(m) ? 'requestErr.organisation' : 'requestErr.schemes' };
  }
  if (leaf === 'validUntil') {
    if (issue.code === 'too_small') return { key: 'requestErr.validPast' };
    if (issue.code === 'too_big') return { key: 'requestErr.validTooFar' };
    return { key: 'requestErr.date' };
  }
  if (leaf === 'reason') return { key: 'requestErr.reasonRequired' };
  if (leaf === 'missing') return { key: 'requestErr.missingRequired' };
  if (leaf === 'size' && /adults \+ children/.test(m)) return { key: 'requestErr.size' };
  if (leaf === 'isSingleParent') return { key: 'requestErr.singleParent' };
  if (leaf === 'renewsGrantId') return { key: 'requestErr.renewal' };
  if (issue.path.startsWith('person.')) {
    if (errorCode === 'not_found') return { key: 'requestErr.personNotFound' };
    if (leaf === 'phone') return { key: 'fieldErrors.phone' };
    if (leaf === 'email' && /exactly one/.test(m)) return { key: 'requestErr.personOne' };
  }
  if ((MONEY_FIELDS as readonly string[]).includes(leaf)) return { key: 'requestErr.amount' };
  if (leaf === 'communeInsee') return { key: 'requestErr.commune' };
  return fieldMessage(issue);
}

/**
 * Turns a service's AppError into `fail(status, …)` with eligibility messages next to the fields;
 * anything else is rethrown. The checked schemes come back so the boxes stay ticked.
 */
export function requestFailure(error: unknown, data: FormData, form?: string): ActionFailure<RequestFormFailure> {
  if (!isAppErrorLike(error)) throw error;
  const maxKb = typeof error.details?.maxKb === 'number' ? error.details.maxKb : undefined;
  const fields: Record<string, FieldMessage> = {};
  for (const issue of error.details?.fields ?? []) {
    if (typeof issue?.path !== 'string' || fields[issue.path]) continue;
    fields[issue.path] = messageFor(issue, error.code, maxKb);
  }
  return fail(HTTP_STATUS[error.code], {
    form,
    code: error.code,
    fields,
    values: keptValues(data),
    checked: data.getAll('schemes').filter((v): v is string => typeof v === 'string')
  });
}

/**
 * Refuses, before reading it, a form larger than `slots` documents of `maxKb` plus the fields around
 * them (pages have no body limit of their own); null when the announced size is acceptable.
 */
export function oversizedUpload(
  request: Request,
  maxKb: number,
  slots: number,
  form?: string
): ActionFailure<RequestFormFailure> | null {
  const length = Number(request.headers.get('content-length') ?? '0');
  if (!(length > (maxKb * slots + 512) * 1024)) return null;
  const path = slots > 1 ? 'documents.0.file' : 'file';
  const error = new AppError('payload_too_large', `Documents larger than ${maxKb} KB`, {
    maxKb,
    fields: [{ path, message: `larger than ${maxKb} KB`, code: 'too_big' }]
  });
  return requestFailure(error, new FormData(), form);
}
