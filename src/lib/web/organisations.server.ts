import { stringField } from './forms.server';

/**
 * The organisation form as the service's input: empty optional fields are left out on create and
 * become null (cleared) on update; the address is given only when one of its parts is filled.
 */
export function organisationInput(data: FormData, mode: 'create' | 'update'): Record<string, unknown> {
  const empty = mode === 'create' ? undefined : null;
  const opt = (name: string) => {
    const value = stringField(data, name).trim();
    return value === '' ? empty : value;
  };
  const line = stringField(data, 'address.line').trim();
  const postalCode = stringField(data, 'address.postalCode').trim();
  const city = stringField(data, 'address.city').trim();
  const kind = stringField(data, 'kind');
  return {
    name: stringField(data, 'name'),
    kind,
    donorKind: opt('donorKind') ?? (mode === 'update' && kind !== 'donor' ? null : empty),
    network: opt('network'),
    siret: opt('siret'),
    email: opt('email'),
    phone: opt('phone'),
    address: line || postalCode || city ? { line, postalCode, city } : empty
  };
}
