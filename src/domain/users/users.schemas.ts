import { Type } from '@fastify/type-provider-typebox';
import { RoleSchema } from '../../auth/auth.schemas.js';
import { named } from '../../http/openapi/named-schema.js';
import { pagingQuery } from '../route-helpers.js';

export { RoleSchema };
export const PasswordSchema = Type.String({ minLength: 10, maxLength: 200 });
const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
const Name = Type.String({ minLength: 1, maxLength: 200 });

/** A staff account as the API returns it: never the hash or internal columns. */
export const UserSchema = named(
  'User',
  Type.Object({
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    disabled: Type.Boolean(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
);

export const CreateUserBody = named(
  'UserInput',
  Type.Object(
    { email: Email, name: Name, role: RoleSchema, password: PasswordSchema },
    { additionalProperties: false },
  ),
);

export const UpdateUserBody = named(
  'UserPatch',
  Type.Object(
    { name: Type.Optional(Name), role: Type.Optional(RoleSchema) },
    { additionalProperties: false, minProperties: 1 },
  ),
);

export const ListUsersQuery = Type.Object(pagingQuery, { additionalProperties: false });
