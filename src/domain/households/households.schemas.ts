import { Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
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

export const HouseholdCreateBody = named(
  'HouseholdInput',
  Type.Object({ name: Name, ...address }, { additionalProperties: false }),
);
export const HouseholdPatchBody = named(
  'HouseholdPatch',
  Type.Object({ name: Type.Optional(Name), ...address }, { additionalProperties: false, minProperties: 1 }),
);
export const HouseholdListQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), ...pagingQuery },
  { additionalProperties: false },
);
export const HouseholdRoleSchema = named('HouseholdRole', StringEnum(HOUSEHOLD_ROLES));
export const AddHouseholdMemberBody = named(
  'HouseholdMemberInput',
  Type.Object(
    { personId: Type.String({ minLength: 1, maxLength: 100 }), role: HouseholdRoleSchema },
    { additionalProperties: false },
  ),
);
/** A person's place in a household, as adding them returns it. */
export const HouseholdMembership = named(
  'HouseholdMembership',
  Type.Object({ householdId: Type.String(), personId: Type.String(), role: HouseholdRoleSchema }),
);
export const MemberParams = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    personId: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

const S = Nullable(Type.String());
const householdProperties = {
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
};
export const HouseholdSchema = named('Household', Type.Object(householdProperties));
export const HouseholdMemberSchema = named(
  'HouseholdMember',
  Type.Object({
    personId: Type.String(),
    role: HouseholdRoleSchema,
    firstName: Type.String(),
    lastName: Type.String(),
    preferredName: S,
    addedAt: Type.String(),
  }),
);
export const HouseholdWithMembersSchema = named(
  'HouseholdDetail',
  Type.Object({ ...householdProperties, members: Type.Array(HouseholdMemberSchema) }),
);
