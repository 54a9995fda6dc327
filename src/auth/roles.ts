/** Staff roles of a church, from most to least powerful. */
export const ROLES = ['admin', 'finance', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What a route may require. Each route declares exactly one in `config.permission`. */
export const PERMISSIONS = [
  'people:read',
  'people:write',
  'groups:read',
  'groups:write',
  'events:read',
  'events:write',
  'attendance:write',
  'giving:read',
  'giving:write',
  'imports:write',
  'church:read',
  'church:manage',
  'church:export',
  'users:manage',
  'audit:read',
  'self',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_CORE: Permission[] = ['people:read', 'groups:read', 'events:read', 'church:read', 'self'];
const WRITE_CORE: Permission[] = [
  'people:write',
  'groups:write',
  'events:write',
  'attendance:write',
  'imports:write',
];

/** What each role may do: viewer reads people/groups/events; staff also writes them; finance owns giving; admin all. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  finance: new Set<Permission>([...READ_CORE, 'giving:read', 'giving:write']),
  staff: new Set<Permission>([...READ_CORE, ...WRITE_CORE]),
  viewer: new Set<Permission>(READ_CORE),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
