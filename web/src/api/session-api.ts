import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
import { sessionFrom, sessionStore } from './session-store';

// Sign-in and refresh bypass the client's 401 handling (they are what it falls back on).
const bare = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

let refreshing: Promise<boolean> | null = null;

/**
 * Trades the refresh cookie for a new access token. Concurrent callers share one request, since
 * a refresh token is single use: two refreshes with it would revoke the session.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= bare
    .POST('/api/auth/refresh', { body: {} })
    .then(({ data }) => {
      sessionStore.set(data ? sessionFrom(data.data) : null);
      return data !== undefined;
    })
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** Signs in as a browser session: the refresh token comes back as an httpOnly cookie. */
export async function signIn(input: components['schemas']['LoginInput']) {
  const res = await bare.POST('/api/auth/login', { body: { ...input, refreshCookie: true } });
  if (res.data) sessionStore.set(sessionFrom(res.data.data));
  return res;
}
