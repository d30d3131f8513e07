import type { FormFailure } from './forms';

/** A refusal of an eligibility form, with the schemes that were ticked (so they stay ticked). */
export type RequestFormFailure = FormFailure & { checked: string[] };

/** The schemes ticked when the form was refused, else `fallback` (page-safe). */
export function checkedSchemes(failure: FormFailure | null | undefined, fallback: readonly string[]): string[] {
  if (failure && 'checked' in failure && Array.isArray((failure as RequestFormFailure).checked)) {
    return (failure as RequestFormFailure).checked;
  }
  return [...fallback];
}
