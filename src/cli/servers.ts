import { type Command, InvalidArgumentError } from 'commander';
import {
  addDbServer,
  DEFAULT_SERVER_CAPACITY,
  listDbServers,
  setDbServerStatus,
} from '../platform/db-servers.js';
import { type Context, withCatalog } from './with-services.js';

const capacityArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
const pgUrlArg = (v: string) => {
  if (!/^postgres(ql)?:\/\//.test(v)) throw new InvalidArgumentError('must be a postgres:// URL');
  return v;
};

// Server URLs carry credentials: print host and port only.
const safeHost = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
};

/** `steeple servers add|list|drain`: the PostgreSQL servers new churches are placed on. */
export function registerServerCommands(program: Command, context: Context): void {
  const servers = program.command('servers').description('PostgreSQL servers for church databases');

  servers
    .command('add <url>')
    .description('add a server (idempotent on URL); new churches go to the one with the fewest')
    .option('--capacity <n>', 'most churches it may hold', capacityArg, DEFAULT_SERVER_CAPACITY)
    .action((url: string, o: { capacity: number }) =>
      withCatalog(context, async (catalog) => {
        const s = await addDbServer(catalog, pgUrlArg(url), o.capacity);
        console.log(`${s.id}  ${safeHost(s.url)}  ${s.status}  capacity ${s.capacity}`);
      }),
    );

  servers
    .command('list')
    .description('one line per server: id, host, status, churches/capacity')
    .option('--json', 'JSON lines (without URLs)')
    .action((o: { json?: boolean }) =>
      withCatalog(context, async (catalog) => {
        for (const s of await listDbServers(catalog)) {
          const row = {
            id: s.id,
            host: safeHost(s.url),
            status: s.status,
            tenants: s.tenant_count,
            capacity: s.capacity,
          };
          console.log(
            o.json
              ? JSON.stringify(row)
              : `${row.id}  ${row.host}  ${row.status}  ${row.tenants}/${row.capacity}`,
          );
        }
      }),
    );

  for (const [name, status, what] of [
    ['drain', 'draining', 'stop placing new churches on a server (existing ones keep working)'],
    ['undrain', 'active', 'place new churches on a drained server again'],
  ] as const) {
    servers
      .command(`${name} <id>`)
      .description(what)
      .action((id: string) =>
        withCatalog(context, async (catalog) => {
          if (!(await setDbServerStatus(catalog, id, status))) {
            console.error(`steeple: no server ${id}`);
            process.exitCode = 1;
            return;
          }
          console.log(`${id}  ${status}`);
        }),
      );
  }
}
