import type { Permission } from '../auth/permissions';

/** The menu: each entry shows only for roles holding its permission. */
export const NAV_ITEMS: readonly { to: string; label: string; permission: Permission }[] = [
  { to: '/', label: 'Home', permission: 'church:read' },
  { to: '/people', label: 'People', permission: 'people:read' },
  { to: '/households', label: 'Households', permission: 'people:read' },
  { to: '/tags', label: 'Tags', permission: 'people:read' },
  { to: '/groups', label: 'Groups', permission: 'groups:read' },
  { to: '/events', label: 'Events', permission: 'events:read' },
  { to: '/giving', label: 'Giving', permission: 'giving:read' },
  { to: '/year-end', label: 'Year-end statements', permission: 'giving:read' },
  { to: '/import', label: 'Import', permission: 'imports:write' },
  { to: '/users', label: 'Staff users', permission: 'users:manage' },
  { to: '/audit', label: 'Audit log', permission: 'audit:read' },
  { to: '/settings', label: 'Church settings', permission: 'church:manage' },
];
