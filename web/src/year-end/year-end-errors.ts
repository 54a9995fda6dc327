import { ApiError } from '../api/problem';

// What a church office should read for the problems these calls can answer (by problem code).
const MESSAGES: Record<string, string> = {
  NO_GIFTS: 'No tax-deductible gifts are recorded for this year, so there are no statements to make.',
  FORBIDDEN: 'Your role does not allow this. Ask a church administrator.',
  NOT_FOUND: 'This email run was not found. Start it again to see its progress.',
  RATE_LIMITED: 'Too many requests just now. Wait a minute and try again.',
  TENANT_UNAVAILABLE: "The church's records cannot be reached just now. Try again in a few minutes.",
  SERVICE_UNAVAILABLE: 'Steeple is busy or being updated. Try again in a few minutes.',
  TIMEOUT: 'The server took too long to answer. Try again.',
  INTERNAL:
    'Something went wrong on the server. Try again; if it happens again, tell your Steeple administrator.',
};

/** A year-end failure in plain words: by the problem's code, else its detail. */
export function yearEndErrorText(err: unknown): string {
  if (!(err instanceof ApiError))
    return 'The server could not be reached. Check the connection and try again.';
  const code = err.problem?.code;
  return (code && MESSAGES[code]) || err.message;
}
