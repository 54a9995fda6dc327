import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Fastify compiles every route's validators (Ajv) and response serializers (fast-json-stringify)
 * while it starts; for this API that was about half of the work between spawn and ready, and most
 * routes (operator, import, export) are rarely called. These wrappers compile a route's function
 * the first time a request needs it instead, so start-up and idle memory pay only for what runs.
 */

type ValidateFunction = ReturnType<FastifySchemaCompiler<unknown>>;

/** `compile()` runs on the first validation; the wrapper carries Ajv's `errors` of the last call. */
export function validateOnFirstUse(compile: () => ValidateFunction): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate: ValidateFunction = (data) => {
    compiled ??= compile();
    const result = compiled(data);
    validate.errors = compiled.errors;
    return result;
  };
  return validate;
}

type Serialize = (payload: unknown) => string;
type SerializerFactory = (externalSchemas: unknown, options: unknown) => (route: unknown) => Serialize;

/** Fastify's own serializer factory (fast-json-stringify), compiling each schema on first use. */
export const buildSerializerOnFirstUse: SerializerFactory = (externalSchemas, options) => {
  const compileRoute = (SerializerSelector() as SerializerFactory)(externalSchemas, options);
  return (route) => {
    let compiled: Serialize | undefined;
    return (payload) => {
      compiled ??= compileRoute(route);
      return compiled(payload);
    };
  };
};
