import { Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { Nullable, StringEnum } from '../../http/openapi/schema-helpers.js';
import { pagingQuery } from '../route-helpers.js';
import { PasswordSchema, RoleSchema } from '../users/users.schemas.js';

const Token = Type.String({ minLength: 1, maxLength: 200, description: 'The `token` of the emailed link.' });

export const InviteStatusSchema = named(
  'InviteStatus',
  StringEnum(['pending', 'expired', 'accepted', 'revoked']),
);

/** An invite as the API returns it: never the token or its hash. */
export const InviteSchema = named(
  'Invite',
  Type.Object({
    id: Type.String(),
    email: Type.String(),
    role: RoleSchema,
    status: InviteStatusSchema,
    invitedBy: Nullable(Type.String({ description: 'The id of the admin who sent the current link.' })),
    createdAt: Type.String({ description: 'When the current link was sent.' }),
    expiresAt: Type.String(),
    acceptedAt: Nullable(Type.String()),
    revokedAt: Nullable(Type.String()),
  }),
);

export const InviteInput = named(
  'InviteInput',
  Type.Object(
    { email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }), role: RoleSchema },
    { additionalProperties: false },
  ),
);

export const InviteTokenInput = named(
  'InviteTokenInput',
  Type.Object({ token: Token }, { additionalProperties: false }),
);

export const InviteAcceptance = named(
  'InviteAcceptance',
  Type.Object(
    {
      token: Token,
      name: Type.String({ minLength: 1, maxLength: 200 }),
      password: PasswordSchema,
      refreshCookie: Type.Optional(
        Type.Boolean({
          description: 'As at login: a browser session gets its refresh token as an httpOnly cookie.',
        }),
      ),
    },
    { additionalProperties: false },
  ),
);

/** What the accept screen shows before the new member chooses a name and password. */
export const InviteDetails = named(
  'InviteDetails',
  Type.Object({
    church: Type.Object({ name: Type.String(), slug: Type.String() }),
    email: Type.String(),
    role: RoleSchema,
    expiresAt: Type.String(),
  }),
);

export const ListInvitesQuery = Type.Object(pagingQuery, { additionalProperties: false });
