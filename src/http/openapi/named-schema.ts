import type { TSchema } from '@fastify/type-provider-typebox';

/** The marker `named` leaves on a schema; the document finisher turns marked schemas into `$ref`s. */
export const SCHEMA_NAME = 'x-schema-name';

/**
 * Names a schema: the OpenAPI document lists it once under `components.schemas.<name>` and every
 * use becomes a `$ref`, so generated clients get `Person` rather than a type named after a path.
 * Route code keeps using the schema inline (TypeBox infers its type); only the document changes.
 * Two different schemas with one name fail the document build.
 */
export function named<T extends TSchema>(name: string, schema: T): T {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(schema)) as T;
  Object.assign(copy, { [SCHEMA_NAME]: name });
  return copy;
}
