import { ROLES } from '../../../src/auth/roles';

/** Staff roles in the words the office uses, in the order of the role pickers. */
export const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: r.charAt(0).toUpperCase() + r.slice(1) }));
