import { type Static, Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { CentsValue, optionalBody, StringEnum } from '../../http/openapi/schema-helpers.js';
import { pagingQuery } from '../route-helpers.js';
import { IsoDate } from './batches.schemas.js';
import { DONATION_METHODS } from './donations.table.js';
import { MAX_CENTS } from './money.js';
import { multiline } from '../../http/text-rules.js';

/**
 * A positive amount in integer cents. Bodies are validated without coercion, so a float, a
 * string, zero or a negative number is a 400 before any service code runs.
 */
const Cents = CentsValue({ minimum: 1, maximum: MAX_CENTS });

const Id = Type.String({ minLength: 1, maxLength: 100 });
const NullableId = Type.Union([Id, Type.Null()]);
/** How a gift was given, in requests and responses alike. */
export const Method = named('DonationMethod', StringEnum(DONATION_METHODS));
const CheckNumber = Type.Union([Type.String({ maxLength: 50 }), Type.Null()]);
const Note = Type.Union([multiline(Type.String({ maxLength: 1000 })), Type.Null()]);
export const MAX_SPLITS = 50;

export const SplitInput = named(
  'SplitInput',
  Type.Object({ fundId: Id, amountCents: Cents }, { additionalProperties: false }),
);
export type SplitInput = Static<typeof SplitInput>;
const Splits = Type.Array(SplitInput, { minItems: 1, maxItems: MAX_SPLITS });

export const Split = named('Split', Type.Object({ fundId: Type.String(), amountCents: CentsValue() }));

export const Donation = named(
  'Donation',
  Type.Object({
    id: Type.String(),
    personId: Type.Union([Type.String(), Type.Null()]),
    householdId: Type.Union([Type.String(), Type.Null()]),
    batchId: Type.Union([Type.String(), Type.Null()]),
    /** The fund when the gift has a single split, else null (see `splits`). */
    fundId: Type.Union([Type.String(), Type.Null()]),
    /** Signed total in cents: negative on a reversal. */
    amountCents: CentsValue(),
    splits: Type.Array(Split),
    receivedOn: Type.String(),
    method: Method,
    checkNumber: Type.Union([Type.String(), Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]),
    reversesId: Type.Union([Type.String(), Type.Null()]),
    reversedById: Type.Union([Type.String(), Type.Null()]),
    createdBy: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
);
export type Donation = Static<typeof Donation>;

/** Either `fundId` + `amountCents` or `splits`, never both (checked by the service). */
export const CreateDonationBody = named(
  'DonationInput',
  Type.Object(
    {
      personId: Type.Optional(NullableId),
      householdId: Type.Optional(NullableId),
      batchId: Type.Optional(NullableId),
      fundId: Type.Optional(Id),
      amountCents: Type.Optional(Cents),
      splits: Type.Optional(Splits),
      receivedOn: IsoDate,
      method: Method,
      checkNumber: Type.Optional(CheckNumber),
      note: Type.Optional(Note),
    },
    { additionalProperties: false },
  ),
);
export type CreateDonationBody = Static<typeof CreateDonationBody>;

export const UpdateDonationBody = named(
  'DonationPatch',
  Type.Object(
    {
      personId: Type.Optional(NullableId),
      householdId: Type.Optional(NullableId),
      batchId: Type.Optional(NullableId),
      fundId: Type.Optional(Id),
      amountCents: Type.Optional(Cents),
      splits: Type.Optional(Splits),
      receivedOn: Type.Optional(IsoDate),
      method: Type.Optional(Method),
      checkNumber: Type.Optional(CheckNumber),
      note: Type.Optional(Note),
    },
    { additionalProperties: false, minProperties: 1 },
  ),
);
export type UpdateDonationBody = Static<typeof UpdateDonationBody>;

/** A correction: by default dated like the original, so that year's statement nets to zero. */
export const ReverseDonationBody = optionalBody(
  named(
    'DonationReversalInput',
    Type.Object(
      { receivedOn: Type.Optional(IsoDate), batchId: Type.Optional(NullableId), note: Type.Optional(Note) },
      { additionalProperties: false },
    ),
  ),
);
export type ReverseDonationBody = Static<typeof ReverseDonationBody>;

export const DonationListQuery = Type.Object(
  {
    batchId: Type.Optional(Id),
    personId: Type.Optional(Id),
    householdId: Type.Optional(Id),
    fundId: Type.Optional(Id),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    ...pagingQuery,
  },
  { additionalProperties: false },
);
export type DonationListQuery = Static<typeof DonationListQuery>;
