import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { refreshSession } from './session-api';
import { sessionStore } from './session-store';

// A copy of each request in flight, to send again once after a silent refresh.
const retries = new Map<string, Request>();

const bearerWithOneRefresh: Middleware = {
  onRequest({ request, id }) {
    const token = sessionStore.get()?.accessToken;
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    retries.set(id, request.clone());
    return request;
  },
  async onResponse({ response, id }) {
    const retry = retries.get(id);
    retries.delete(id);
    if (response.status !== 401 || !retry) return response;
    // An expired access token: refresh once and resend; a second 401 stands (back to sign-in).
    if (!(await refreshSession())) return response;
    retry.headers.set('authorization', `Bearer ${sessionStore.get()?.accessToken ?? ''}`);
    const again = await fetch(retry);
    if (again.status === 401) sessionStore.set(null);
    return again;
  },
  onError({ id }) {
    retries.delete(id);
  },
};

/** The typed client of the Steeple API (generated from /api/openapi.json); every screen uses it. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(bearerWithOneRefresh);
