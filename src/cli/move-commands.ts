import { Presets, SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { planEvacuation, runEvacuation } from '../platform/tenant-move/evacuation.js';
import { listMoves } from '../platform/tenant-move/tenant-move.repository.js';
import { type Context, withCliServices } from './with-services.js';

// "sqlite" names the SQLite files under DATA_DIR; anything else is a server id. (Mapped in the
// action: commander stores a parser's null as an empty string.)
const placeOf = (v: string): string | null => (v === 'sqlite' ? null : v);
const concurrencyArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be an integer 1..64');
  return n;
};
const place = (id: string | null) => id ?? 'sqlite';
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** `steeple tenants move|moves` and `steeple servers evacuate`: churches between databases. */
export function registerMoveCommands(program: Command, context: Context): void {
  const tenants = program.commands.find((c) => c.name() === 'tenants') ?? program.command('tenants');
  const servers = program.commands.find((c) => c.name() === 'servers') ?? program.command('servers');

  tenants
    .command('move <idOrSlug>')
    .description(
      'move a church to another PostgreSQL server or between SQLite and PostgreSQL, online (re-run after a crash to finish)',
    )
    .requiredOption('--to <serverId|sqlite>', 'target: a server id (steeple servers list) or "sqlite"')
    .option('--json', 'print the result as JSON')
    .action((ref: string, o: { to: string; json?: boolean }) =>
      withCliServices(context, async (s) => {
        const r = await s.deps.moves.mover.move(ref, placeOf(o.to));
        if (o.json) console.log(JSON.stringify(r));
        else if (!r.moved) console.log(`${r.tenantId}  already on ${o.to}`);
        else
          console.log(
            `${r.tenantId}  moved to ${o.to}: ${r.move?.rows_copied} rows, ${mb(Number(r.move?.bytes_copied))}, ` +
              `writes paused ${r.writePauseMs} ms, ${(r.durationMs / 1000).toFixed(1)} s`,
          );
      }),
    );

  tenants
    .command('moves [idOrSlug]')
    .description('the moves of one church (or all), newest first: step, source, target, write pause')
    .option('--json', 'one JSON object per line')
    .action((ref: string | undefined, o: { json?: boolean }) =>
      withCliServices(context, async (s) => {
        const id = ref ? (await s.deps.registrations.lifecycle.find(ref)).id : undefined;
        for (const m of await listMoves(s.deps.catalog, id)) {
          if (o.json) console.log(JSON.stringify(m));
          else
            console.log(
              `${m.id}  ${m.tenant_id}  ${place(m.source_server_id)} -> ${place(m.target_server_id)}  ${m.step.padEnd(14)}` +
                `${m.write_pause_ms != null ? `  paused ${m.write_pause_ms} ms` : ''}${m.error ? `  ${m.error}` : ''}`,
            );
        }
      }),
    );

  servers
    .command('evacuate <serverId>')
    .description("move every church off a draining server (to the placement rule's servers, or --to)")
    .option('--to <serverId|sqlite>', 'put every church there instead')
    .option('--concurrency <n>', 'churches moved at once', concurrencyArg, 2)
    .option('--dry-run', 'print the plan and change nothing')
    .option('--json', 'one JSON line per church, then a summary line')
    .action((serverId: string, o: { to?: string; concurrency: number; dryRun?: boolean; json?: boolean }) =>
      withCliServices(context, async (s) => {
        const plan = await planEvacuation(
          s.deps.catalog,
          serverId,
          o.to === undefined ? undefined : placeOf(o.to),
        );
        if (o.dryRun) {
          for (const m of plan.moves)
            console.log(
              o.json ? JSON.stringify(m) : `move  ${m.tenantId}  ${m.slug.padEnd(40)} -> ${place(m.to)}`,
            );
          for (const k of plan.skipped)
            console.log(
              o.json ? JSON.stringify(k) : `skip  ${k.tenantId}  ${k.slug.padEnd(40)} (${k.status})`,
            );
          if (!o.json) console.log(`${plan.moves.length} to move, ${plan.skipped.length} skipped (dry run)`);
          return;
        }
        const bar =
          !o.json && process.stdout.isTTY
            ? new SingleBar(
                { format: 'evacuating [{bar}] {value}/{total} | ETA {eta_formatted} | failed {failed}' },
                Presets.shades_classic,
              )
            : undefined;
        bar?.start(plan.moves.length, 0, { failed: 0 });
        let failed = 0;
        try {
          const summary = await runEvacuation(s.deps.moves.mover, plan, {
            concurrency: o.concurrency,
            onResult: (r) => {
              if (r.status === 'failed') failed++;
              if (o.json) console.log(JSON.stringify(r));
              else if (bar) bar.increment(1, { failed });
              else
                console.log(
                  `${r.status.padEnd(6)}  ${r.tenantId}  ${r.slug} -> ${place(r.to)}${r.error ? `: ${r.error}` : ''}`,
                );
            },
          });
          bar?.stop();
          if (o.json) console.log(JSON.stringify({ summary }));
          else
            console.log(
              `${summary.moved} moved, ${summary.failed} failed, ${plan.skipped.length} skipped in ${(summary.durationMs / 1000).toFixed(1)} s`,
            );
          if (summary.failed > 0) process.exitCode = 1;
        } finally {
          bar?.stop();
        }
      }),
    );
}
