import { Center, Loader } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { refreshSession } from '../api/session-api';
import { sessionStore, useSession } from '../api/session-store';

/**
 * Pages behind sign-in. After a reload the access token is gone (memory only): one refresh with
 * the cookie restores the session, or the sign-in page opens.
 */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  const [restoring, setRestoring] = useState(session === null);

  useEffect(() => {
    if (!restoring) return;
    void refreshSession().finally(() => setRestoring(false));
  }, [restoring]);

  if (session) return <Outlet />;
  if (restoring)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  // An expired session returns to this page after signing in again; a signed-out one starts at home.
  const from = sessionStore.signedOut() ? undefined : location.pathname + location.search;
  return <Navigate to="/sign-in" replace state={{ from }} />;
}
