import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS with a default export object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** One answer of the API as a client saw it. */
export interface Exchange {
  method: string;
  /** The concrete path, without the query. */
  path: string;
  /** The route that answered, in Fastify form (`/api/people/:id`), when the server said. */
  route?: string;
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body: string;
  /** Whether the request carried an Authorization header. */
  credentials: boolean;
}

export interface CheckResult {
  /** `GET /api/people/{id}`, or null for an answer no operation gave (an unknown route). */
  operation: string | null;
  violations: string[];
}

type Json = Record<string, unknown>;
interface Operation {
  security?: unknown[];
  responses: Record<string, Json>;
}
interface Response {
  headers?: Record<string, { required?: boolean; schema?: Json }>;
  content?: Record<string, { schema: Json }>;
}

// Headers that are part of the contract: a response carrying one must declare it.
const CONTRACT_HEADERS = ['location', 'retry-after', 'cache-control', 'content-disposition'];
// What the router answers when no operation matches: always a problem.
const ROUTELESS_STATUSES = new Set([400, 404, 414, 503]);
const PROBLEM = 'application/problem+json';

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/**
 * Checks answers against an OpenAPI document: the operation exists, the status is declared, the
 * content type is declared and the body is valid against its schema, contract headers are
 * declared (and required ones sent), and an operation with security was not answered 2xx to a
 * request without credentials.
 */
export class ApiContract {
  private readonly ajv = addFormats(new Ajv2020({ strict: false, allErrors: true, validateSchema: false }));
  private readonly templates: Array<{ template: string; regex: RegExp; literal: number }>;

  constructor(readonly doc: Json) {
    this.ajv.addSchema(doc, 'doc');
    this.templates = Object.keys(doc.paths as Json).map((template) => ({
      template,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
      literal: template.replace(/\{[^}]+\}/g, '').length,
    }));
  }

  /** Every operation of the document, as `METHOD /path`. */
  operations(): string[] {
    return Object.entries(this.doc.paths as Record<string, Json>).flatMap(([p, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`),
    );
  }

  private templateOf(ex: Exchange): string | undefined {
    if (ex.route) return ex.route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const matches = this.templates.filter((t) => t.regex.test(ex.path));
    return matches.sort((a, b) => b.literal - a.literal)[0]?.template;
  }

  check(ex: Exchange): CheckResult {
    const template = this.templateOf(ex);
    const op = template
      ? ((this.doc.paths as Record<string, Json>)[template]?.[ex.method.toLowerCase()] as
          | Operation
          | undefined)
      : undefined;
    if (!op) {
      if (template && ex.route)
        return { operation: null, violations: [`${ex.method} ${template} is not in the document`] };
      return { operation: null, violations: this.checkRouteless(ex) };
    }
    const name = `${ex.method.toUpperCase()} ${template}`;
    const violations = this.checkResponse(op, template!, ex).map((v) => `${name} -> ${ex.status}: ${v}`);
    return { operation: name, violations };
  }

  private checkRouteless(ex: Exchange): string[] {
    const where = `${ex.method} ${ex.path} (no operation) -> ${ex.status}`;
    if (!ROUTELESS_STATUSES.has(ex.status)) return [`${where}: an undocumented route answered`];
    if (mediaType(ex.headers) !== PROBLEM) return [`${where}: not a problem (${ex.headers['content-type']})`];
    return this.validate('doc#/components/schemas/Problem', ex.body, true).map((v) => `${where}: ${v}`);
  }

  private checkResponse(op: Operation, template: string, ex: Exchange): string[] {
    let base = `doc#/${pointer('paths', template, ex.method.toLowerCase(), 'responses', String(ex.status))}`;
    let response = op.responses[String(ex.status)] as (Response & { $ref?: string }) | undefined;
    if (!response) return [`status not declared (declared: ${Object.keys(op.responses).join(', ')})`];
    if (response.$ref) {
      base = `doc${response.$ref}`;
      response = this.resolve(response.$ref) as Response;
    }
    const violations = this.checkHeaders(response, ex);
    if (op.security?.length && ex.status < 300 && !ex.credentials)
      violations.push('answered 2xx without credentials, but the document requires them');
    if (!response.content) {
      if (ex.body.length > 0) violations.push('sent a body, but the document declares none');
      return violations;
    }
    const type = mediaType(ex.headers);
    if (!type || !response.content[type])
      return [
        ...violations,
        `content type ${type} not declared (${Object.keys(response.content).join(', ')})`,
      ];
    const json = type === 'application/json' || type.endsWith('+json');
    return [...violations, ...this.validate(`${base}/${pointer('content', type, 'schema')}`, ex.body, json)];
  }

  private checkHeaders(response: Response, ex: Exchange): string[] {
    const declared = response.headers ?? {};
    const violations: string[] = [];
    for (const h of CONTRACT_HEADERS)
      if (ex.headers[h] !== undefined && !declared[h]) violations.push(`header ${h} sent but not declared`);
    for (const [h, spec] of Object.entries(declared)) {
      const value = ex.headers[h.toLowerCase()];
      if (value === undefined) {
        if (spec.required) violations.push(`required header ${h} missing`);
        continue;
      }
      const typed = spec.schema?.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
      const validate = this.ajv.compile(spec.schema ?? {});
      if (!validate(typed)) violations.push(`header ${h}: ${this.ajv.errorsText(validate.errors)}`);
    }
    return violations;
  }

  private validate(ref: string, body: string, json: boolean): string[] {
    let value: unknown = body;
    if (json) {
      try {
        value = JSON.parse(body);
      } catch {
        return [`body is not JSON: ${body.slice(0, 100)}`];
      }
    }
    const validate = this.ajv.getSchema(ref);
    if (!validate) return [`no schema at ${ref}`];
    if (validate(value)) return [];
    return [`body does not match its schema: ${this.ajv.errorsText(validate.errors)}`];
  }

  private resolve(ref: string): unknown {
    return ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (node, key) => (node as Json)[key.replaceAll('~1', '/').replaceAll('~0', '~')],
        this.doc,
      );
  }
}

function mediaType(headers: Record<string, string | undefined>): string | undefined {
  return headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}
