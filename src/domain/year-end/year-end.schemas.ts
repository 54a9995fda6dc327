import { Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { CentsValue, Nullable, StringEnum } from '../../http/openapi/schema-helpers.js';

export const YearParams = Type.Object(
  { year: Type.Integer({ minimum: 1900, maximum: 9999 }) },
  { additionalProperties: false },
);

export const RunParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

/** Who gave in a year, and who has no usable email address (their statements are printed). */
export const YearEndSummary = named(
  'YearEndSummary',
  Type.Object({
    year: Type.Integer(),
    currency: Type.String({ description: "The church's currency: amounts are in its minor units." }),
    receiptText: Type.String({ description: 'The tax-receipt wording printed on every statement.' }),
    gifts: Type.Integer({
      description: 'Tax-deductible gifts the statements show (committed batches only).',
    }),
    totalCents: CentsValue(),
    uncommittedGifts: Type.Integer({
      description: 'Gifts of the year still in open batches: left off the statements until committed.',
    }),
    donors: Type.Integer({
      description: 'People (and households, for gifts recorded with no person) who gave.',
    }),
    withEmail: Type.Integer(),
    withoutEmail: Type.Array(
      named(
        'DonorWithoutEmail',
        Type.Object({
          kind: StringEnum(['person', 'household']),
          id: Type.String(),
          name: Type.String(),
          email: Nullable(Type.String({ description: 'Set when the stored address is not a usable one.' })),
          addressLines: Type.Array(Type.String()),
        }),
      ),
    ),
  }),
);

/** Progress of emailing a year's statements. */
export const YearEndRun = named(
  'YearEndRun',
  Type.Object({
    id: Type.String(),
    year: Type.Integer(),
    status: StringEnum(['running', 'done', 'failed']),
    total: Type.Integer({ description: 'Donors with an email address.' }),
    queued: Type.Integer({ description: 'Statements handed to the outbox so far.' }),
    sent: Type.Integer({ description: "The year's statement emails the mail server accepted." }),
    failed: Type.Integer({ description: "The year's statement emails that could not be delivered." }),
    withoutEmail: Type.Integer(),
    error: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    finishedAt: Nullable(Type.String()),
  }),
);
