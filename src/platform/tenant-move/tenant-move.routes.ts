import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { TenantMover } from './tenant-mover.js';
import type { TenantMove } from './tenant-move.table.js';
import { DataEnvelope, ok } from '../../http/envelope.js';
import { named } from '../../http/openapi/named-schema.js';
import { problems } from '../../http/openapi/problem-responses.js';
import { StringEnum } from '../../http/openapi/schema-helpers.js';
import { installOpsGuard } from '../../http/ops-auth.js';
import { ChurchRefParams } from '../tenant-ops.routes.js';

const MOVE_STEPS = [
  'started',
  'prepared',
  'copied',
  'frozen',
  'switched',
  'rolled_back',
  'source_dropped',
] as const;

const Place = Type.Union([Type.String(), Type.Null()], { description: 'A server id; null for SQLite.' });

const TenantMoveView = named(
  'TenantMove',
  Type.Object({
    id: Type.String(),
    tenantId: Type.String(),
    from: Place,
    to: Place,
    step: named('TenantMoveStep', StringEnum(MOVE_STEPS)),
    rowsCopied: Type.Integer(),
    bytesCopied: Type.Integer({ format: 'int64' }),
    writePauseMs: Type.Union([Type.Integer(), Type.Null()]),
    switchedAt: Type.Union([Type.String(), Type.Null()]),
    dropAfter: Type.Union([Type.String(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
  }),
);

const MoveResultView = named(
  'TenantMoveResult',
  Type.Object({
    tenantId: Type.String(),
    to: Place,
    moved: Type.Boolean({ description: 'False when the church was already there.' }),
    move: Type.Union([TenantMoveView, Type.Null()]),
    tables: Type.Record(Type.String(), Type.String(), {
      description: 'Per table: `rows:checksum` as verified on both sides.',
    }),
    writePauseMs: Type.Integer(),
    durationMs: Type.Integer(),
  }),
);

const moveView = (m: TenantMove) => ({
  id: m.id,
  tenantId: m.tenant_id,
  from: m.source_server_id,
  to: m.target_server_id,
  step: m.step,
  rowsCopied: Number(m.rows_copied),
  bytesCopied: Number(m.bytes_copied),
  writePauseMs: m.write_pause_ms,
  switchedAt: m.switched_at,
  dropAfter: m.drop_after,
  error: m.error,
});

export interface OpsMoveRoutesOptions {
  mover: Pick<TenantMover, 'move'>;
  opsToken: string | undefined;
}

/** Operator route moving a church between database servers and engines (OPS_TOKEN). */
export const opsMoveRoutes: FastifyPluginAsyncTypebox<OpsMoveRoutesOptions> = async (
  app,
  { mover, opsToken },
) => {
  installOpsGuard(app, opsToken);
  app.post(
    '/ops/tenants/:ref/move',
    {
      schema: {
        operationId: 'moveTenant',
        summary: "Move a church's database to another server or engine",
        description:
          'Copies it online and switches when verified; writes are refused (503) only during the short final switch. ' +
          'Answers when the move has switched or rolled back. Re-run after a failure to finish or roll back.',
        tags: ['ops'],
        params: ChurchRefParams,
        body: named(
          'TenantMoveInput',
          Type.Object(
            {
              to: Type.String({
                minLength: 1,
                maxLength: 64,
                pattern: '^[a-z0-9-]+$',
                description: 'A database server id, or `sqlite`.',
              }),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 200: DataEnvelope(MoveResultView), ...problems(404, 409) },
      },
    },
    async (req) => {
      const { pauseMs: _, ...r } = await mover.move(
        req.params.ref,
        req.body.to === 'sqlite' ? null : req.body.to,
      );
      return ok({ ...r, move: r.move ? moveView(r.move) : null });
    },
  );
};
