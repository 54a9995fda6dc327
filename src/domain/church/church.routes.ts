import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { DataEnvelope } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { CentsValue } from '../../http/openapi/schema-helpers.js';
import { authOf, tenantDbOf } from '../../http/request-context.js';
import { actorOf, Nullable } from '../route-helpers.js';
import * as church from './church.service.js';
import { can } from '../../auth/roles.js';
import { churchCounts } from './church-counts.js';

const tags = ['church'];
const S = Nullable(Type.String());
const ChurchSchema = named(
  'Church',
  Type.Object({
    id: Type.String(),
    slug: Type.String(),
    name: Type.String(),
    timezone: Type.String(),
    currency: Type.String(),
    addressLine1: S,
    addressLine2: S,
    city: S,
    region: S,
    postalCode: S,
    country: S,
    taxReceiptText: Nullable(
      Type.String({ description: "Giving statements' tax-receipt wording; null: the default sentence." }),
    ),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
);
const Line = Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 })));

export interface ChurchRoutesOptions {
  /** Keeps the platform's copy of name, time zone and currency in step with the profile. */
  onChurchUpdated?: (
    tenantId: string,
    profile: { name: string; timezone: string; currency: string },
  ) => Promise<void>;
}

/** The church's own profile and settings (the slug is fixed at registration). */
export const churchRoutes: FastifyPluginAsyncTypebox<ChurchRoutesOptions> = async (app, opts) => {
  app.get(
    '/church',
    {
      config: { permission: 'church:read' },
      schema: {
        operationId: 'getChurch',
        summary: "The church's profile",
        tags,
        response: { 200: DataEnvelope(ChurchSchema) },
      },
    },
    async (request) => ({ data: await church.getChurch(tenantDbOf(request)) }),
  );

  app.get(
    '/church/summary',
    {
      config: { permission: 'church:read' },
      schema: {
        operationId: 'getChurchCounts',
        summary: "The church's counts at a glance",
        description:
          'People, households, groups, check-ins at events of the last 7 days, and (for roles that ' +
          'read giving; null otherwise) gifts since 1 January in church time, gifts in open batches left out.',
        tags,
        response: {
          200: DataEnvelope(
            named(
              'ChurchCounts',
              Type.Object({
                people: Type.Integer(),
                households: Type.Integer(),
                groups: Type.Integer(),
                attendanceThisWeek: Type.Integer(),
                givingThisYearCents: Nullable(CentsValue()),
              }),
            ),
          ),
        },
      },
    },
    async (request) => {
      const db = tenantDbOf(request);
      const { timezone } = await church.getChurch(db);
      const withGiving = can(authOf(request).role, 'giving:read');
      return { data: await churchCounts(db, { withGiving, timezone }) };
    },
  );

  app.patch(
    '/church',
    {
      config: { permission: 'church:manage' },
      schema: {
        operationId: 'updateChurch',
        summary: "Change the church's profile",
        description: 'The slug is fixed at registration.',
        tags,
        body: named(
          'ChurchPatch',
          Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
              currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
              addressLine1: Line,
              addressLine2: Line,
              city: Line,
              region: Line,
              postalCode: Line,
              country: Line,
              taxReceiptText: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 2000 }))),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
        ),
        response: { 200: DataEnvelope(ChurchSchema) },
      },
    },
    async (request) => {
      const updated = await church.updateChurch(tenantDbOf(request), actorOf(request), request.body);
      const { name, timezone, currency } = updated;
      await opts.onChurchUpdated?.(authOf(request).tenantId, { name, timezone, currency });
      return { data: updated };
    },
  );
};
