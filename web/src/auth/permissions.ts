import { can, type Permission } from '../../../src/auth/roles';
import { useSession } from '../api/session-store';

/**
 * Whether the signed-in role may do this: the server's own role table, so menus and buttons
 * match what the API allows. The server still decides every request.
 */
export function useCan(permission: Permission): boolean {
  const session = useSession();
  return session !== null && can(session.user.role, permission);
}

export type { Permission };
