import { Type } from '@fastify/type-provider-typebox';
import { Nullable, pagingQuery, StringEnum } from '../route-helpers.js';
import { HOUSEHOLD_ROLES } from './households.table.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Line = Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 })));
const address = {
  addressLine1: Line,
  addressLine2: Line,
  city: Line,
  region: Line,
  postalCode: Line,
  country: Line,
};

export const HouseholdCreateBody = Type.Object({ name: Name, ...address }, { additionalProperties: false });
export const HouseholdPatchBody = Type.Object(
  { name: Type.Optional(Name), ...address },
  { additionalProperties: false, minProperties: 1 },
);
export const HouseholdListQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), ...pagingQuery },
  { additionalProperties: false },
);
export const HouseholdRoleSchema = StringEnum(HOUSEHOLD_ROLES);
export const AddHouseholdMemberBody = Type.Object(
  { personId: Type.String({ minLength: 1, maxLength: 100 }), role: HouseholdRoleSchema },
  { additionalProperties: false },
);
export const MemberParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    personId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

const S = Nullable(Type.String());
export const HouseholdSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  addressLine1: S,
  addressLine2: S,
  city: S,
  region: S,
  postalCode: S,
  country: S,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export const HouseholdMemberSchema = Type.Object({
  personId: Type.String(),
  role: HouseholdRoleSchema,
  firstName: Type.String(),
  lastName: Type.String(),
  preferredName: S,
  addedAt: Type.String(),
});
export const HouseholdWithMembersSchema = Type.Object({
  ...HouseholdSchema.properties,
  members: Type.Array(HouseholdMemberSchema),
});
