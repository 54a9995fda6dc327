import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError, fieldErrors } from '../api/problem';

/**
 * Puts the API's field errors next to their fields (`fields`: form field -> the API's name for
 * it, when they differ). Returns the message for the rest, to show above the form.
 */
export function applyProblem<T extends FieldValues>(
  err: unknown,
  setError: UseFormSetError<T>,
  fields: Partial<Record<Path<T>, string>> | readonly Path<T>[],
): string | undefined {
  if (!(err instanceof ApiError)) return 'The server could not be reached. Try again.';
  const byApi = fieldErrors(err.problem);
  const pairs: [Path<T>, string][] = Array.isArray(fields)
    ? fields.map((f) => [f, f])
    : (Object.entries(fields) as [Path<T>, string][]);
  let placed = false;
  for (const [field, apiName] of pairs) {
    const message = byApi.get(apiName);
    if (message) {
      setError(field, { message: capitalise(message) });
      placed = true;
    }
  }
  return placed ? undefined : err.message;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
