import { Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { CustomValues, CustomValuesInput } from '../custom-fields/custom-fields.schemas.js';
import { HouseholdRoleSchema } from '../households/households.schemas.js';
import { Nullable, pagingQuery, StringEnum } from '../route-helpers.js';
import { BIRTH_DATE_PATTERN } from './birth-date.js';
import { MEMBERSHIP_STATUSES } from './people.table.js';
import { multiline } from '../../http/text-rules.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Status = named('MembershipStatus', StringEnum(MEMBERSHIP_STATUSES));
const Email = Type.String({ format: 'email', maxLength: 254 });
const Phone = Type.String({ minLength: 1, maxLength: 40 });
const Label = Nullable(Type.String({ minLength: 1, maxLength: 40 }));

/** An email beyond the primary one. */
export const OtherEmail = named(
  'OtherEmail',
  Type.Object({ address: Email, label: Label }, { additionalProperties: false }),
);
/** A phone beyond the primary one. */
export const OtherPhone = named(
  'OtherPhone',
  Type.Object({ number: Phone, label: Label }, { additionalProperties: false }),
);
/** An id another system gave this person; a re-import from that system updates, never duplicates. */
export const ExternalId = named(
  'ExternalId',
  Type.Object(
    {
      source: Type.String({
        pattern: '^[a-z0-9][a-z0-9-]{0,39}$',
        description: 'The system, e.g. `planning-center`, `breeze`, `churchcrm`.',
      }),
      id: Type.String({ minLength: 1, maxLength: 100 }),
    },
    { additionalProperties: false },
  ),
);

const fields = {
  middleName: Type.Optional(Nullable(Name)),
  suffix: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))),
  preferredName: Type.Optional(Nullable(Name)),
  email: Type.Optional(Nullable(Email)),
  phone: Type.Optional(Nullable(Phone)),
  otherEmails: Type.Optional(Type.Array(OtherEmail, { maxItems: 10 })),
  otherPhones: Type.Optional(Type.Array(OtherPhone, { maxItems: 10 })),
  birthDate: Type.Optional(
    Nullable(
      Type.String({
        pattern: BIRTH_DATE_PATTERN,
        description: '`YYYY-MM-DD`, or `--MM-DD` when the year is not known.',
      }),
    ),
  ),
  gender: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40 }))),
  membershipStatus: Type.Optional(Status),
  householdId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  householdRole: Type.Optional(HouseholdRoleSchema),
  externalIds: Type.Optional(Type.Array(ExternalId, { maxItems: 10 })),
  customFields: Type.Optional(CustomValuesInput),
  notes: Type.Optional(Nullable(multiline(Type.String({ maxLength: 10_000 })))),
};

export const PersonCreateBody = named(
  'PersonInput',
  Type.Object({ firstName: Name, lastName: Name, ...fields }, { additionalProperties: false }),
);
export const PersonPatchBody = named(
  'PersonPatch',
  Type.Object(
    { firstName: Type.Optional(Name), lastName: Type.Optional(Name), ...fields },
    { additionalProperties: false, minProperties: 1 },
  ),
);

export const PeopleListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    membershipStatus: Type.Optional(Status),
    tag: Type.Optional(Type.String({ maxLength: 100 })),
    group: Type.Optional(
      Type.String({ maxLength: 100, description: 'Only members of this group (its id).' }),
    ),
    field: Type.Optional(
      Type.Array(Type.String({ minLength: 3, maxLength: 1100 }), {
        maxItems: 10,
        description:
          'Custom-field filter `key:value` (repeat for several; all must hold). Yes/no fields take `true` or `false`.',
      }),
    ),
    ...pagingQuery,
  },
  { additionalProperties: false },
);

const NullableString = Nullable(Type.String());
export const PersonSchema = named(
  'Person',
  Type.Object({
    id: Type.String(),
    firstName: Type.String(),
    middleName: NullableString,
    lastName: Type.String(),
    suffix: NullableString,
    preferredName: NullableString,
    email: NullableString,
    phone: NullableString,
    otherEmails: Type.Array(OtherEmail),
    otherPhones: Type.Array(OtherPhone),
    birthDate: NullableString,
    gender: NullableString,
    membershipStatus: Status,
    householdId: NullableString,
    householdRole: Nullable(HouseholdRoleSchema),
    externalIds: Type.Array(ExternalId),
    customFields: CustomValues,
    notes: NullableString,
    createdAt: Type.String(),
    updatedAt: Type.String(),
  }),
);

/** One event a person attended (their attendance history). */
export const PersonAttendance = named(
  'PersonAttendance',
  Type.Object({
    eventId: Type.String(),
    eventName: Type.String(),
    startsAt: Type.String(),
    groupId: NullableString,
    checkedInAt: Type.String(),
    checkedInBy: NullableString,
  }),
);

export const AttendanceHistoryQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 40 })),
    to: Type.Optional(Type.String({ maxLength: 40 })),
    ...pagingQuery,
  },
  { additionalProperties: false },
);
