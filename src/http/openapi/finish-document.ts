import { isDeepStrictEqual } from 'node:util';
import { SCHEMA_NAME } from './named-schema.js';
import { PROBLEM_MEDIA_TYPE, PROBLEM_STATUSES } from './problem-responses.js';
import { HEADER_REQUIRED, type HeaderSpec, OPTIONAL_BODY } from './schema-helpers.js';

type Json = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';
const RESPONSES = '#/components/responses/';

/** Replaces every schema marked by `named()` with a `$ref`, collecting it once in `components.schemas`. */
function hoistNamedSchemas(node: unknown, schemas: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => hoistNamedSchemas(n, schemas));
  if (typeof node !== 'object' || node === null) return node;
  const copy: Json = {};
  for (const [k, v] of Object.entries(node)) copy[k] = hoistNamedSchemas(v, schemas);
  const name = copy[SCHEMA_NAME];
  if (typeof name !== 'string') return copy;
  delete copy[SCHEMA_NAME];
  if (schemas[name] !== undefined && !isDeepStrictEqual(schemas[name], copy))
    throw new Error(`Two different schemas are named ${name} in the OpenAPI document`);
  schemas[name] = copy;
  return { $ref: `${SCHEMAS}${name}` };
}

/** A header as the document states it: `required` moved out of its schema. */
function finishHeaders(headers: Json | undefined) {
  for (const [name, header] of Object.entries(headers ?? {})) {
    const h = header as { schema: Json; required?: boolean };
    if (h.schema[HEADER_REQUIRED]) {
      delete h.schema[HEADER_REQUIRED];
      h.required = true;
    }
    headers![name] = h;
  }
}

function headerObjects(headers: Record<string, HeaderSpec> | undefined) {
  if (!headers) return undefined;
  return Object.fromEntries(
    Object.entries(headers).map(([n, h]) => [
      n,
      { description: h.description, required: h.required ?? false, schema: { ...h.schema } },
    ]),
  );
}

/** The standard problem responses, as `components.responses` entries (with their headers). */
function problemComponents() {
  const entries = Object.values(PROBLEM_STATUSES).map((spec) => {
    const headers = headerObjects('headers' in spec ? spec.headers : undefined);
    const body = { description: spec.description, ...(headers ? { headers } : {}) };
    return [
      spec.name,
      { ...body, content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `${SCHEMAS}Problem` } } } },
    ];
  });
  return Object.fromEntries(entries) as Record<string, Json>;
}

/** A route's copy of a standard problem response, as @fastify/swagger renders it. */
function isStandardProblem(response: Json, status: string): string | undefined {
  const spec = PROBLEM_STATUSES[Number(status) as keyof typeof PROBLEM_STATUSES];
  if (!spec) return undefined;
  const expected = {
    description: spec.description,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `${SCHEMAS}Problem` } } },
  };
  return isDeepStrictEqual(response, expected) ? spec.name : undefined;
}

/** Bodies marked by `optionalBody()` are `required: false` (before names hoist the marker away). */
function markOptionalBodies(paths: Record<string, Record<string, Json>>) {
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      const body = op.requestBody as
        | { required?: boolean; content: Record<string, { schema: Json }> }
        | undefined;
      for (const media of Object.values(body?.content ?? {})) {
        if (!media.schema[OPTIONAL_BODY]) continue;
        media.schema = { ...media.schema };
        delete media.schema[OPTIONAL_BODY];
        body!.required = false;
      }
    }
  }
}

/**
 * The last pass over the document @fastify/swagger built from the route schemas: named schemas
 * become components and `$ref`s, standard problem responses become `components.responses`,
 * required headers say so, and bodies marked optional are not required.
 */
export function finishDocument({ openapiObject }: { openapiObject: Json }): Json {
  const components = (openapiObject.components ?? {}) as Json;
  const schemas: Json = {};
  for (const [k, v] of Object.entries((components.schemas ?? {}) as Json))
    schemas[k] = hoistNamedSchemas(v, schemas);
  markOptionalBodies(openapiObject.paths as Record<string, Record<string, Json>>);
  const paths = hoistNamedSchemas(openapiObject.paths, schemas) as Record<string, Record<string, Json>>;
  const used = new Set<string>();
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      const responses = op.responses as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        const name = isStandardProblem(response, status);
        if (name) {
          responses[status] = { $ref: `${RESPONSES}${name}` };
          used.add(name);
        } else finishHeaders(response.headers as Json | undefined);
      }
    }
  }
  const problemResponses = Object.entries(problemComponents()).filter(([n]) => used.has(n));
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return {
    ...openapiObject,
    paths,
    components: { ...components, schemas: sortedSchemas, responses: Object.fromEntries(problemResponses) },
  };
}
