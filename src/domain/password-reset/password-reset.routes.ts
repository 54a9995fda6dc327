import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { NoContent } from '../../http/openapi/schema-helpers.js';
import { PasswordSchema } from '../users/users.schemas.js';
import type { PasswordResets } from './password-reset.service.js';

const tags = ['auth'];

const PasswordResetRequest = named(
  'PasswordResetRequest',
  Type.Object(
    {
      church: Type.String({ minLength: 1, maxLength: 100, description: "The church's slug." }),
      email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
    },
    { additionalProperties: false },
  ),
);
const PasswordResetAccepted = named('PasswordResetAccepted', Type.Object({ message: Type.String() }));
const PasswordResetConfirmation = named(
  'PasswordResetConfirmation',
  Type.Object(
    {
      token: Type.String({ minLength: 1, maxLength: 200, description: 'The `token` of the emailed link.' }),
      password: PasswordSchema,
    },
    { additionalProperties: false },
  ),
);

const ACCEPTED = 'If that account exists, an email with a link to reset its password is on its way.';

/** Forgotten passwords: public, rate-limited per account and per client IP. */
export const passwordResetRoutes: FastifyPluginAsyncTypebox<{ resets: PasswordResets }> = async (
  app,
  { resets },
) => {
  app.post(
    '/auth/password-reset',
    {
      schema: {
        operationId: 'requestPasswordReset',
        summary: 'Email a password-reset link',
        description:
          'Always the same 202, whether or not the church and user exist. The link, `PUBLIC_URL/reset-password#token=...`, works once within an hour. Limited per account and per client (429).',
        tags,
        security: [],
        body: PasswordResetRequest,
        response: { 202: DataEnvelope(PasswordResetAccepted), ...problems(429) },
      },
    },
    async (request, reply) => {
      await resets.request(request.body, request.ip);
      reply.status(202);
      return { data: { message: ACCEPTED } };
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      schema: {
        operationId: 'confirmPasswordReset',
        summary: 'Set a new password with an emailed link',
        description:
          'Uses the link up and ends every session of the user; they log in with the new password.',
        tags,
        security: [],
        body: PasswordResetConfirmation,
        response: { 204: NoContent, ...problems(409, 410) },
      },
    },
    async (request, reply) => {
      await resets.confirm(request.body);
      reply.status(204).send();
    },
  );
};
