import { Type } from '@fastify/type-provider-typebox';
import { named } from '../../http/openapi/named-schema.js';
import { Nullable, StringEnum } from '../route-helpers.js';
import { CUSTOM_FIELD_TYPES } from './custom-fields.table.js';

const FieldType = named('CustomFieldType', StringEnum(CUSTOM_FIELD_TYPES));
const Label = Type.String({ minLength: 1, maxLength: 100 });
const Choices = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100 });
const Position = Type.Integer({ minimum: 0, maximum: 10_000 });

export const CustomFieldInput = named(
  'CustomFieldInput',
  Type.Object(
    {
      key: Type.String({
        pattern: '^[a-z][a-z0-9_]{0,49}$',
        description: 'Stable machine name (lower case, digits, underscores); cannot change later.',
      }),
      label: Label,
      type: FieldType,
      choices: Type.Optional(Choices),
      position: Type.Optional(Position),
    },
    { additionalProperties: false },
  ),
);

export const CustomFieldPatch = named(
  'CustomFieldPatch',
  Type.Object(
    { label: Type.Optional(Label), choices: Type.Optional(Choices), position: Type.Optional(Position) },
    { additionalProperties: false, minProperties: 1 },
  ),
);

export const CustomFieldSchema = named(
  'CustomField',
  Type.Object({
    id: Type.String(),
    key: Type.String(),
    label: Type.String(),
    type: FieldType,
    choices: Nullable(Type.Array(Type.String())),
    position: Type.Integer(),
  }),
);

/** A value by type: text, date (YYYY-MM-DD) and choice are strings, number a number, yes/no a boolean. */
export const CustomFieldValue = named(
  'CustomFieldValue',
  Type.Union([Type.String({ maxLength: 1000 }), Type.Number(), Type.Boolean()]),
);

/** `customFields` of a person: field key -> value. */
export const CustomValues = named(
  'CustomFieldValues',
  Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}$' }), CustomFieldValue),
);

/** `customFields` of a person input: null clears a value; keys left out stay as they are. */
export const CustomValuesInput = named(
  'CustomFieldValuesInput',
  Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}$' }), Nullable(CustomFieldValue), {
    maxProperties: 100,
  }),
);
