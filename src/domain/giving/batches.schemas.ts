import { type Static, Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { CentsValue, StringEnum } from '../../http/openapi/schema-helpers.js';
import { pagingQuery } from '../route-helpers.js';
import { DATE_RANGE } from '../../http/date-range.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
/** A gift or batch date: a real calendar day, in a range where a typo like 0202 cannot hide. */
export const IsoDate = Type.String({
  format: 'date',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  [DATE_RANGE]: ['1900-01-01', '2100-12-31'],
  description: 'A date from 1900-01-01 to 2100-12-31.',
});

const BatchStatus = named('BatchStatus', StringEnum(['open', 'committed'] as const));

export const Batch = named(
  'Batch',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    date: Type.String(),
    status: BatchStatus,
    committedAt: Type.Union([Type.String(), Type.Null()]),
    committedBy: Type.Union([Type.String(), Type.Null()]),
    donationCount: Type.Integer(),
    totalCents: CentsValue(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
);
export type Batch = Static<typeof Batch>;

export const CreateBatchBody = named(
  'BatchInput',
  Type.Object({ name: Name, date: IsoDate }, { additionalProperties: false }),
);
export type CreateBatchBody = Static<typeof CreateBatchBody>;

export const UpdateBatchBody = named(
  'BatchPatch',
  Type.Object(
    { name: Type.Optional(Name), date: Type.Optional(IsoDate) },
    { additionalProperties: false, minProperties: 1 },
  ),
);
export type UpdateBatchBody = Static<typeof UpdateBatchBody>;

export const BatchListQuery = Type.Object(
  {
    status: Type.Optional(BatchStatus),
    ...pagingQuery,
  },
  { additionalProperties: false },
);
export type BatchListQuery = Static<typeof BatchListQuery>;
