import { Errors } from '../../errors/app-error.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Normalizes an ISO instant to the stored form (UTC, milliseconds) so text order is time order. */
export function toInstant(value: string, path: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw Errors.validation([{ path, message: 'is not a valid date-time' }]);
  return d.toISOString();
}

/**
 * `?from=&to=` as a half-open UTC range. A bare date in `to` includes that whole day, so
 * `from=2026-01-01&to=2026-01-31` covers January.
 */
export function timeRange(q: { from?: string; to?: string }): { from?: string; to?: string } {
  const from = q.from === undefined ? undefined : toInstant(q.from, '/query/from');
  let to: string | undefined;
  if (q.to !== undefined) {
    to = toInstant(q.to, '/query/to');
    if (DATE_ONLY.test(q.to)) to = new Date(Date.parse(to) + 86_400_000).toISOString();
  }
  return { from, to };
}
