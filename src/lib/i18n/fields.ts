import type { MessageKey } from './fr';
import type { Params } from './translate';

/** One field problem as services report it (`AppError.details.fields[]`). */
export interface FieldIssueLike {
  path: string;
  message: string;
  code?: string;
}

/** A field problem ready to translate: a catalogue key and its parameters. */
export interface FieldMessage {
  key: MessageKey;
  params?: Params;
}

/**
 * The catalogue message for a field problem reported by a service. Services speak English for
 * developers; the interface speaks the user's language, so this reads the field's path, the zod
 * issue code and the (stable) message to pick the closest translated explanation.
 */
export function fieldMessage(issue: FieldIssueLike, passwordMin = 10): FieldMessage {
  const path = issue.path.toLowerCase();
  const message = issue.message.toLowerCase();
  const leaf = path.split('.').pop() ?? path;

  if (message === 'required' || (issue.code === 'invalid_type' && /undefined|required/.test(message))) {
    return { key: 'fieldErrors.required' };
  }
  if (/already a member/.test(message)) return { key: 'fieldErrors.alreadyMember' };
  if (/already|taken|exists/.test(message) && leaf === 'email') return { key: 'fieldErrors.emailTaken' };
  if (leaf === 'password' || leaf === 'newpassword') {
    if (/email/.test(message)) return { key: 'fieldErrors.passwordIsEmail' };
    if (issue.code === 'too_small' || /at least/.test(message)) return { key: 'fieldErrors.passwordLength', params: { min: passwordMin } };
  }
  if (leaf === 'code' && (/digit/.test(message) || issue.code === 'invalid_format')) return { key: 'fieldErrors.code' };
  if (leaf === 'siret') return { key: /checksum/.test(message) ? 'fieldErrors.siretChecksum' : 'fieldErrors.siret' };
  if (leaf === 'postalcode') return { key: 'fieldErrors.postalCode' };
  if (leaf === 'donorkind') return { key: /only for/.test(message) ? 'fieldErrors.donorKindOnlyDonor' : 'fieldErrors.donorKind' };
  if (leaf === 'phone' && /mobile/.test(message)) return { key: 'phoneSignUp.mobileOnly' };
  if (/phone number|phone must/.test(message) || leaf === 'phone') {
    if (issue.code === 'too_big') return { key: 'fieldErrors.tooLong' };
    return { key: 'fieldErrors.phone' };
  }
  if (/email/.test(message) || leaf === 'email') {
    if (issue.code === 'too_big') return { key: 'fieldErrors.tooLong' };
    return { key: 'fieldErrors.email' };
  }
  if (issue.code === 'too_small') return { key: 'fieldErrors.tooShort' };
  if (issue.code === 'too_big') return { key: 'fieldErrors.tooLong' };
  return { key: 'fieldErrors.invalid' };
}

/** The id of the input for a dotted field path (`address.postalCode` → `field-address-postalCode`). */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
