import { Button, Menu } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { sessionStore, useSession } from '../api/session-store';

/** The signed-in user's name, with Sign out and Sign out everywhere. */
export function UserMenu() {
  const session = useSession()!;
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const signOut = async (everywhere: boolean) => {
    // The session ends here whatever the server says.
    await (everywhere ? api.POST('/api/auth/logout-all') : api.POST('/api/auth/logout')).catch(
      () => undefined,
    );
    sessionStore.signOut();
    queryClient.clear();
    navigate('/sign-in', { replace: true, state: { church: session.church.slug } });
  };

  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="subtle">{session.user.name}</Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {session.user.email} ({session.user.role})
        </Menu.Label>
        <Menu.Item onClick={() => signOut(false)}>Sign out</Menu.Item>
        <Menu.Item onClick={() => signOut(true)}>Sign out everywhere</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
