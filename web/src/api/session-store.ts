import { useSyncExternalStore } from 'react';
import type { components } from './schema';

type Schemas = components['schemas'];

/** The signed-in staff member. The access token lives here, in memory only, never in storage. */
export interface SessionState {
  accessToken: string;
  user: Schemas['SessionUser'];
  church: Schemas['ChurchSummary'];
}

let current: SessionState | null = null;
// Whether the last session ended by signing out (rather than expiring): sign-in then starts at home.
let signedOut = false;
const listeners = new Set<() => void>();

/** The one session of this tab: set on sign-in and refresh, cleared on sign-out or a failed refresh. */
export const sessionStore = {
  get: (): SessionState | null => current,
  set(next: SessionState | null): void {
    current = next;
    if (next) signedOut = false;
    for (const l of listeners) l();
  },
  /** Ends the session because its user signed out. */
  signOut(): void {
    signedOut = true;
    sessionStore.set(null);
  },
  signedOut: (): boolean => signedOut,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** A session from a login or refresh answer (the refresh token, if any, is dropped). */
export function sessionFrom(s: Schemas['Session']): SessionState {
  return { accessToken: s.accessToken, user: s.user, church: s.church };
}

/** The session, re-rendering when it changes. */
export function useSession(): SessionState | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}
