import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { RegistrationService } from './registration.service.js';
import { SLUG_PATTERN } from './registration-rules.js';
import type { Registration } from './registration.table.js';
import type { SlugUnavailable } from './slug-availability.js';
import { DataEnvelope, ok } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { StringEnum, withHeaders } from '../../http/openapi/schema-helpers.js';

const tags = ['registration'];
const RegistrationBody = named(
  'RegistrationInput',
  Type.Object(
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
  ),
);

const RegistrationView = named(
  'Registration',
  Type.Object({
    id: Type.String(),
    status: named('RegistrationStatus', StringEnum(['pending', 'provisioning', 'ready', 'failed'] as const)),
    church: Type.Object({ slug: Type.String() }),
    error: Type.Optional(Type.String({ description: 'Why it failed (status `failed` only).' })),
  }),
);

const SlugAvailability = named(
  'SlugAvailability',
  Type.Object({
    slug: Type.String(),
    available: Type.Boolean(),
    reason: Type.Union([StringEnum(['taken', 'reserved'] as const), Type.Null()], {
      description: 'Why it is not available; null when it is.',
    }),
  }),
);

const Location = {
  location: {
    schema: { type: 'string' as const },
    description: 'The registration: `/api/registrations/{id}`.',
    required: true,
  },
};

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
  /** Whether a church address is free now (`slug-availability.ts`). */
  slugAvailability: (slug: string) => Promise<SlugUnavailable | null>;
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
        operationId: 'createRegistration',
        summary: 'Register a church',
        description:
          '202 while its database is made; `?wait=true` waits for it (201 when ready in time). ' +
          'Poll the `Location` until `status` is `ready`, then log in.',
        tags,
        security: [],
        body: RegistrationBody,
        querystring: Type.Object(
          {
            wait: Type.Optional(
              Type.Boolean({ description: 'Wait (a few seconds) for the church to be ready.' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: withHeaders(DataEnvelope(RegistrationView), Location),
          202: withHeaders(DataEnvelope(RegistrationView), Location),
          ...problems(409, 429),
        },
      },
    },
    async (request, reply) => {
      await opts.limitRegistration?.(request.ip);
      const reg = await opts.registrations.submit(request.body, request.query.wait ? opts.waitMs : 0);
      reply.header('location', `/api/registrations/${reg.id}`);
      reply.status(reg.status === 'ready' ? 201 : 202);
      return ok(view(reg));
    },
  );

  app.get(
    '/registrations/slug-availability',
    {
      schema: {
        operationId: 'checkSlugAvailability',
        summary: 'Is a church address free?',
        description:
          'For a signup form that checks as the address is typed. Free now is no reservation: ' +
          'the registration itself decides (409 when taken meanwhile).',
        tags,
        security: [],
        querystring: Type.Object(
          { slug: Type.String({ pattern: SLUG_PATTERN, description: 'The church address asked about.' }) },
          { additionalProperties: false },
        ),
        response: { 200: DataEnvelope(SlugAvailability) },
      },
    },
    async (request) => {
      const { slug } = request.query;
      const reason = await opts.slugAvailability(slug);
      return ok({ slug, available: reason === null, reason });
    },
  );

  app.get(
    '/registrations/:id',
    {
      schema: {
        operationId: 'getRegistration',
        summary: "A registration's progress",
        tags,
        security: [],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: DataEnvelope(RegistrationView) },
      },
    },
    async (request) => ok(view(await opts.registrations.get(request.params.id))),
  );
};
