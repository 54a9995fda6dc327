import { Type } from '@fastify/type-provider-typebox';

/** The body of login, refresh and password change (DESIGN §5). */
export const SessionSchema = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer(),
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), role: Type.String() }),
  church: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }),
});
