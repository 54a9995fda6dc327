import { Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { Nullable, pagingQuery, StringEnum } from '../route-helpers.js';
import { MEMBERSHIP_STATUSES } from './people.table.js';
import { multiline } from '../../http/text-rules.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Status = named('MembershipStatus', StringEnum(MEMBERSHIP_STATUSES));

const fields = {
  preferredName: Type.Optional(Nullable(Name)),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  phone: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40 }))),
  birthDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  gender: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 40 }))),
  membershipStatus: Type.Optional(Status),
  householdId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
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
    lastName: Type.String(),
    preferredName: NullableString,
    email: NullableString,
    phone: NullableString,
    birthDate: NullableString,
    gender: NullableString,
    membershipStatus: Status,
    householdId: NullableString,
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
