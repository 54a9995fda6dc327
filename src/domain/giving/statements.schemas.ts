import { type Static, Type } from '@fastify/type-provider-typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const Address = Type.Object({
  line1: Nullable(Type.String()),
  line2: Nullable(Type.String()),
  city: Nullable(Type.String()),
  region: Nullable(Type.String()),
  postalCode: Nullable(Type.String()),
  country: Nullable(Type.String()),
});
export type Address = Static<typeof Address>;

export const FundTotal = Type.Object({
  fundId: Type.String(),
  fundName: Type.String(),
  totalCents: Type.Integer(),
});
export type FundTotal = Static<typeof FundTotal>;

/** A donation as it counts on a statement: only its tax-deductible splits. */
export const StatementDonation = Type.Object({
  id: Type.String(),
  personId: Nullable(Type.String()),
  receivedOn: Type.String(),
  method: Type.String(),
  checkNumber: Nullable(Type.String()),
  reversesId: Nullable(Type.String()),
  amountCents: Type.Integer(),
  splits: Type.Array(
    Type.Object({ fundId: Type.String(), fundName: Type.String(), amountCents: Type.Integer() }),
  ),
});
export type StatementDonation = Static<typeof StatementDonation>;

const StatementCore = {
  church: Type.Object({ name: Type.String(), address: Address }),
  address: Type.Union([Address, Type.Null()]),
  year: Type.Integer(),
  currency: Type.String(),
  totalCents: Type.Integer(),
  byFund: Type.Array(FundTotal),
  donations: Type.Array(StatementDonation),
  uncommittedDonations: Type.Integer({
    description:
      "The donor's gifts in the year still in open batches: left off until their batch is committed",
  }),
};

export const PersonStatement = Type.Object({
  person: Type.Object({
    id: Type.String(),
    firstName: Type.String(),
    lastName: Type.String(),
    preferredName: Nullable(Type.String()),
    email: Nullable(Type.String()),
  }),
  ...StatementCore,
});
export type PersonStatement = Static<typeof PersonStatement>;

export const HouseholdStatement = Type.Object({
  household: Type.Object({ id: Type.String(), name: Type.String() }),
  members: Type.Array(
    Type.Object({
      id: Type.String(),
      firstName: Type.String(),
      lastName: Type.String(),
      role: Type.String(),
    }),
  ),
  ...StatementCore,
});
export type HouseholdStatement = Static<typeof HouseholdStatement>;

export const StatementQuery = Type.Object(
  {
    year: Type.Integer({ minimum: 1900, maximum: 9999 }),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')])),
  },
  { additionalProperties: false },
);
export type StatementQuery = Static<typeof StatementQuery>;
