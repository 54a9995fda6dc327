import { Type } from '@fastify/type-provider-typebox';
import { ROLES } from './roles.js';
import { named } from '../http/openapi/named-schema.js';
import { DataEnvelope } from '../http/envelope.js';
import { NO_STORE, StringEnum, withHeaders } from '../http/openapi/schema-helpers.js';

/** A staff role, in requests and responses alike. */
export const RoleSchema = named('Role', StringEnum(ROLES));

/** The church a session or account belongs to. */
export const ChurchSummary = named(
  'ChurchSummary',
  Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
);

/** The body of login, refresh and password change. */
export const SessionSchema = named(
  'Session',
  Type.Object({
    accessToken: Type.String(),
    refreshToken: Type.Optional(
      Type.String({
        description:
          'Single use: each refresh returns a new one. Absent for browser sessions, which get it as a cookie.',
      }),
    ),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'Seconds until the access token expires.' }),
    user: named(
      'SessionUser',
      Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), role: RoleSchema }),
    ),
    church: ChurchSummary,
  }),
);

/** A session response: tokens are never cached. */
export const SessionResponse = withHeaders(DataEnvelope(SessionSchema), NO_STORE);
