import { type Static, Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { CentsValue, Nullable } from '../../http/openapi/schema-helpers.js';
import { HouseholdRoleSchema } from '../households/households.schemas.js';
import { Method } from './donations.schemas.js';

export const Address = named(
  'PostalAddress',
  Type.Object({
    line1: Nullable(Type.String()),
    line2: Nullable(Type.String()),
    city: Nullable(Type.String()),
    region: Nullable(Type.String()),
    postalCode: Nullable(Type.String()),
    country: Nullable(Type.String()),
  }),
);
export type Address = Static<typeof Address>;

export const FundTotal = named(
  'FundTotal',
  Type.Object({ fundId: Type.String(), fundName: Type.String(), totalCents: CentsValue() }),
);
export type FundTotal = Static<typeof FundTotal>;

/** A donation as it counts on a statement: only its tax-deductible splits. */
export const StatementDonation = named(
  'StatementDonation',
  Type.Object({
    id: Type.String(),
    personId: Nullable(Type.String()),
    receivedOn: Type.String(),
    method: Method,
    checkNumber: Nullable(Type.String()),
    reversesId: Nullable(Type.String()),
    amountCents: CentsValue(),
    splits: Type.Array(
      Type.Object({ fundId: Type.String(), fundName: Type.String(), amountCents: CentsValue() }),
    ),
  }),
);
export type StatementDonation = Static<typeof StatementDonation>;

const StatementCore = {
  church: Type.Object({ name: Type.String(), address: Address }),
  address: Type.Union([Address, Type.Null()]),
  year: Type.Integer(),
  currency: Type.String(),
  totalCents: CentsValue(),
  byFund: Type.Array(FundTotal),
  donations: Type.Array(StatementDonation),
  uncommittedDonations: Type.Integer({
    description:
      "The donor's gifts in the year still in open batches: left off until their batch is committed",
  }),
};

export const PersonStatement = named(
  'PersonStatement',
  Type.Object({
    person: Type.Object({
      id: Type.String(),
      firstName: Type.String(),
      lastName: Type.String(),
      preferredName: Nullable(Type.String()),
      email: Nullable(Type.String()),
    }),
    ...StatementCore,
  }),
);
export type PersonStatement = Static<typeof PersonStatement>;

export const HouseholdStatement = named(
  'HouseholdStatement',
  Type.Object({
    household: Type.Object({ id: Type.String(), name: Type.String() }),
    members: Type.Array(
      Type.Object({
        id: Type.String(),
        firstName: Type.String(),
        lastName: Type.String(),
        role: HouseholdRoleSchema,
      }),
    ),
    ...StatementCore,
  }),
);
export type HouseholdStatement = Static<typeof HouseholdStatement>;

export const StatementQuery = Type.Object(
  { year: Type.Integer({ minimum: 1900, maximum: 9999 }) },
  { additionalProperties: false },
);
export type StatementQuery = Static<typeof StatementQuery>;
