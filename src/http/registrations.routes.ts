import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RegistrationService } from '../platform/registrations/registration.service.js';
import { SLUG_PATTERN } from '../platform/registrations/registration-rules.js';
import type { Registration } from '../platform/registrations/registration.table.js';
import { DataEnvelope, ok } from './envelope.js';

const RegistrationBody = Type.Object(
  {
    church: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 120 }),
        slug: Type.String({ pattern: SLUG_PATTERN }),
        timezone: Type.String({ minLength: 1, maxLength: 64 }),
        currency: Type.String({ pattern: '^[A-Z]{3}$' }),
      },
      { additionalProperties: false },
    ),
    admin: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 120 }),
        email: Type.String({ format: 'email', maxLength: 254 }),
        password: Type.String({ minLength: 10, maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const RegistrationView = Type.Object({
  id: Type.String(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('provisioning'),
    Type.Literal('ready'),
    Type.Literal('failed'),
  ]),
  church: Type.Object({ slug: Type.String() }),
  error: Type.Optional(Type.String()),
});

function view(reg: Registration) {
  return {
    id: reg.id,
    status: reg.status,
    church: { slug: reg.slug },
    ...(reg.status === 'failed' && reg.error ? { error: reg.error } : {}),
  };
}

export interface RegistrationRoutesOptions {
  registrations: RegistrationService;
  waitMs: number;
  /** Per-client-IP limit check; throws RATE_LIMITED. */
  limitRegistration?: (ip: string) => Promise<void>;
}

/** POST /registrations (202, or 201 when `?wait=true` finished in time) and GET /registrations/:id. */
export const registrationRoutes: FastifyPluginAsyncTypebox<RegistrationRoutesOptions> = async (app, opts) => {
  app.post(
    '/registrations',
    {
      schema: {
        tags: ['registration'],
        body: RegistrationBody,
        querystring: Type.Object({ wait: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 201: DataEnvelope(RegistrationView), 202: DataEnvelope(RegistrationView) },
      },
    },
    async (request, reply) => {
      await opts.limitRegistration?.(request.ip);
      const reg = request.query.wait
        ? await opts.registrations.submitAndWait(request.body, opts.waitMs)
        : await opts.registrations.submit(request.body);
      reply.header('location', `/api/registrations/${reg.id}`);
      reply.status(reg.status === 'ready' ? 201 : 202);
      return ok(view(reg));
    },
  );

  app.get(
    '/registrations/:id',
    {
      schema: {
        tags: ['registration'],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: DataEnvelope(RegistrationView) },
      },
    },
    async (request) => ok(view(await opts.registrations.get(request.params.id))),
  );
};
