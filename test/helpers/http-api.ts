import { checkRemoteAnswer } from './contract/check-remote.js';

/** One HTTP answer: status, parsed JSON body (or undefined), headers. */
export interface ApiResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads arbitrary JSON bodies
  body: any;
  headers: Headers;
}

export type Api = (method: string, path: string, body?: unknown, token?: string) => Promise<ApiResponse>;

/**
 * A tiny JSON client for a spawned server (`fetch`, no retries). Network errors and timeouts
 * throw, so callers can tell "no answer" from an answer. `forwardedFor` sets X-Forwarded-For
 * (honoured only with TRUST_PROXY) to give a test its own client IP. Every answer is checked
 * against the server's OpenAPI document (test/helpers/contract/).
 */
export function apiClient(baseUrl: string, opts: { timeoutMs?: number; forwardedFor?: string } = {}): Api {
  return async (method, path, body, token) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(opts.forwardedFor ? { 'x-forwarded-for': opts.forwardedFor } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    await checkRemoteAnswer(baseUrl, {
      method,
      path: path.split('?')[0]!,
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: text,
      credentials: token !== undefined,
    });
    return { status: res.status, body: parseBody(text), headers: res.headers };
  };
}

/** A response body as JSON when it parses, else the text itself (undefined when empty). */
export function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Polls `cond` every `everyMs` until it is true; throws `what` after `ms`. */
export async function waitUntil(
  what: string,
  cond: () => Promise<boolean> | boolean,
  ms = 15_000,
  everyMs = 50,
) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await cond()) return;
    } catch {
      // not yet: the condition's own I/O may fail while things come up
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
