import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { finishDocument } from './finish-document.js';
import { named } from './named-schema.js';

/** One tag per module; every operation carries exactly one of these. */
const TAGS = [
  { name: 'health', description: 'Liveness, readiness and (operators) connection statistics.' },
  { name: 'registration', description: 'Signing a church up: its database is made in the background.' },
  { name: 'auth', description: 'Login, refresh-token rotation and logout.' },
  { name: 'me', description: "The caller's own account." },
  { name: 'users', description: 'Staff accounts and their roles (admin only).' },
  { name: 'people', description: 'People and their attendance history.' },
  { name: 'households', description: 'Households and their members.' },
  { name: 'tags', description: 'Tags and tagging people.' },
  { name: 'groups', description: 'Groups and their members.' },
  { name: 'events', description: 'Events, check-in and headcount.' },
  { name: 'church', description: "The church's profile and its full export." },
  { name: 'giving', description: 'Funds, batches, donations and giving statements (admin and finance).' },
  { name: 'imports', description: 'Bulk imports.' },
  { name: 'audit', description: 'The audit log (read only).' },
  { name: 'ops', description: 'Operator routes: they take the OPS_TOKEN, never a staff token.' },
  { name: 'docs', description: 'This document.' },
];

/** Where the document is served, and the interactive reference that reads it. */
export const API_DOCUMENT_URL = '/api/openapi.json';
export const API_REFERENCE_PREFIX = '/api/docs';

// The reference page loads only its own scripts, styles and the document, from this origin.
// Images include data: URIs (Swagger UI's icons); nothing may frame it.
const REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const OpenApiDocument = named(
  'OpenApiDocument',
  Type.Object(
    {
      openapi: Type.String(),
      info: Type.Object({}, { additionalProperties: true }),
      paths: Type.Object({}, { additionalProperties: true }),
    },
    { additionalProperties: true, description: 'An OpenAPI 3.1 document.' },
  ),
);

/**
 * The OpenAPI document built from the route schemas (@fastify/swagger, finished by
 * finish-document.ts), served at /api/openapi.json, and the Swagger UI reference at /api/docs.
 * Register before any route.
 */
export async function registerApiDocument(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Steeple API',
        version: '1',
        description:
          'Church management: every church has its own database. Errors are RFC 9457 problems ' +
          '(`application/problem+json`) with a stable `code` and the `requestId`.',
      },
      servers: [{ url: '/', description: 'The host that serves this document' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'The `accessToken` from `POST /api/auth/login` or `/api/auth/refresh`.',
          },
          opsToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'The operator token (`OPS_TOKEN`). While it is unset, operator routes answer only loopback clients.',
          },
        },
      },
    },
    transformObject: (doc) => finishDocument(doc as { openapiObject: Record<string, unknown> }),
  });
  await app.register(swaggerUi, {
    routePrefix: API_REFERENCE_PREFIX,
    staticCSP: REFERENCE_CSP,
    theme: { title: 'Steeple API reference' },
    uiConfig: { deepLinking: true, tryItOutEnabled: false },
  });
  app.get(
    API_DOCUMENT_URL,
    {
      schema: {
        operationId: 'getApiDocument',
        summary: 'This OpenAPI document',
        tags: ['docs'],
        security: [],
        response: { 200: OpenApiDocument },
      },
    },
    async () => app.swagger(),
  );
}
