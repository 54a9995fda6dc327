import type { components } from './schema';

export type Problem = components['schemas']['Problem'];

/** An API error as thrown to TanStack Query: the problem body, when the server sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? `The server answered ${status}.`);
  }
}

/** The data of an openapi-fetch answer, or an ApiError with its problem. */
export function unwrap<T>(res: { data?: T; error?: unknown; response: Response }): T {
  // A 204 has no data: undefined is the answer.
  if (res.response.ok) return res.data as T;
  const body = res.error as Problem | undefined;
  throw new ApiError(
    res.response.status,
    typeof body === 'object' && body && 'code' in body ? body : undefined,
  );
}

/**
 * Field messages from a problem's `errors` (paths like `/body/church/slug`), keyed by the last
 * segments that name a form field (`church.slug`, `slug`).
 */
export function fieldErrors(problem: Problem | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of problem?.errors ?? []) {
    const parts = e.path
      .replace(/^\/body\/?/, '')
      .split('/')
      .filter(Boolean);
    if (parts.length === 0) continue;
    out.set(parts.join('.'), e.message);
    out.set(parts[parts.length - 1]!, e.message);
  }
  return out;
}

/** A failure in plain words: the server's problem detail, else `fallback` (the server was not reached). */
export function problemMessage(err: unknown, fallback: string): string {
  return err instanceof ApiError ? err.message : fallback;
}
