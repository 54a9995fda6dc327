import fs from 'node:fs';
import path from 'node:path';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { type RestoreDeps, restoreChurch } from './church-restore.js';
import { Errors } from '../../errors/app-error.js';
import { DataEnvelope, ok } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { installOpsGuard } from '../../http/ops-auth.js';

export interface OpsRestoreRoutesOptions {
  deps: RestoreDeps;
  dataDir: string;
  opsToken: string | undefined;
}

/** Operator route restoring a church from an export file on the server (OPS_TOKEN). */
export const opsRestoreRoutes: FastifyPluginAsyncTypebox<OpsRestoreRoutesOptions> = async (
  app,
  { deps, dataDir, opsToken },
) => {
  installOpsGuard(app, opsToken);
  const exportsDir = path.resolve(dataDir, 'exports');
  app.post(
    '/ops/tenants/restore',
    {
      schema: {
        operationId: 'restoreTenant',
        summary: 'Create a church from an export file',
        description:
          'The file is one written by the export operation (under DATA_DIR/exports). It is checked in full first: ' +
          'a truncated file, a newer format, unknown tables or a taken address create nothing.',
        tags: ['ops'],
        body: named(
          'TenantRestoreInput',
          Type.Object(
            {
              file: Type.String({
                minLength: 1,
                maxLength: 200,
                pattern: '^[A-Za-z0-9._-]+\\.json$',
                description: 'The export file name under DATA_DIR/exports.',
              }),
              as: Type.Optional(
                Type.String({
                  minLength: 1,
                  maxLength: 64,
                  description: "The church's address, when the exported one is taken.",
                }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: {
          201: DataEnvelope(
            named(
              'TenantRestored',
              Type.Object({
                tenantId: Type.String(),
                slug: Type.String(),
                serverId: Type.Union([Type.String(), Type.Null()]),
                rows: Type.Integer(),
              }),
            ),
          ),
          ...problems(404, 409, 422),
        },
      },
    },
    async (req, reply) => {
      // The pattern allows no separator; the resolved path must stay in the exports directory.
      const file = path.resolve(exportsDir, req.body.file);
      if (path.dirname(file) !== exportsDir) throw Errors.notFound('export file');
      const text = await fs.promises.readFile(file, 'utf8').catch(() => {
        throw Errors.notFound('export file');
      });
      reply.code(201);
      return ok(await restoreChurch(deps, text, { slug: req.body.as }));
    },
  );
};
