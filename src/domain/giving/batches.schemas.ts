import { type Static, Type } from '@fastify/type-provider-typebox';

const Name = Type.String({ minLength: 1, maxLength: 100 });
export const IsoDate = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const Batch = Type.Object({
  id: Type.String(),
  name: Type.String(),
  date: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('committed')]),
  committedAt: Type.Union([Type.String(), Type.Null()]),
  committedBy: Type.Union([Type.String(), Type.Null()]),
  donationCount: Type.Integer(),
  totalCents: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Batch = Static<typeof Batch>;

export const CreateBatchBody = Type.Object({ name: Name, date: IsoDate }, { additionalProperties: false });
export type CreateBatchBody = Static<typeof CreateBatchBody>;

export const UpdateBatchBody = Type.Object(
  { name: Type.Optional(Name), date: Type.Optional(IsoDate) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateBatchBody = Static<typeof UpdateBatchBody>;

export const BatchListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('committed')])),
    limit: Type.Optional(Type.Integer()),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type BatchListQuery = Static<typeof BatchListQuery>;
