import { Type } from '@fastify/type-provider-typebox';
import { ROLES } from '../../auth/roles.js';
import { pagingQuery, StringEnum } from '../route-helpers.js';

export const RoleSchema = StringEnum(ROLES);
export const PasswordSchema = Type.String({ minLength: 10, maxLength: 200 });
const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
const Name = Type.String({ minLength: 1, maxLength: 200 });

/** A staff account as the API returns it: never the hash or internal columns. */
export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const CreateUserBody = Type.Object(
  { email: Email, name: Name, role: RoleSchema, password: PasswordSchema },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  { name: Type.Optional(Name), role: Type.Optional(RoleSchema) },
  { additionalProperties: false, minProperties: 1 },
);

export const ListUsersQuery = Type.Object(pagingQuery, { additionalProperties: false });
