import { type Static, Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { multiline } from '../../http/text-rules.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Description = Type.Union([multiline(Type.String({ maxLength: 1000 })), Type.Null()]);

export const Fund = named(
  'Fund',
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    taxDeductible: Type.Boolean(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
);
export type Fund = Static<typeof Fund>;

export const CreateFundBody = named(
  'FundInput',
  Type.Object(
    {
      name: Name,
      description: Type.Optional(Description),
      /** Defaults to true: most church funds are gifts. */
      taxDeductible: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
);
export type CreateFundBody = Static<typeof CreateFundBody>;

export const UpdateFundBody = named(
  'FundPatch',
  Type.Object(
    {
      name: Type.Optional(Name),
      description: Type.Optional(Description),
      taxDeductible: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false, minProperties: 1 },
  ),
);
export type UpdateFundBody = Static<typeof UpdateFundBody>;
