import type { Command } from 'commander';
import type { Services } from '../services.js';
import { type Context, withCliServices } from './with-services.js';

async function readStdinLine(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) {
    data += chunk;
    if (data.includes('\n')) break;
  }
  return data.split('\n')[0]!.trim();
}

/**
 * `steeple tenants create|suspend|resume|delete|export`: the church lifecycle, through the same
 * services the API uses (registration state machine, lifecycle with export and verified drop).
 */
export function registerChurchCommands(program: Command, context: Context): void {
  const tenants = program.commands.find((c) => c.name() === 'tenants') ?? program.command('tenants');

  const withServices = (fn: (s: Services) => Promise<void>) => withCliServices(context, fn);

  tenants
    .command('create')
    .description('register a church and its first admin (the password is read from stdin)')
    .requiredOption('--name <name>', 'church name')
    .requiredOption('--slug <slug>', 'church address: 3-40 of a-z, 0-9, -')
    .requiredOption('--admin-email <email>')
    .requiredOption('--admin-name <name>')
    .option('--timezone <tz>', 'IANA time zone', 'UTC')
    .option('--currency <code>', 'ISO 4217 currency', 'USD')
    .action(
      (o: {
        name: string;
        slug: string;
        adminEmail: string;
        adminName: string;
        timezone: string;
        currency: string;
      }) =>
        withServices(async (s) => {
          const password = await readStdinLine();
          if (password.length < 10)
            throw Object.assign(new Error('the admin password (stdin) needs at least 10 characters'), {
              code: 'VALIDATION_FAILED',
            });
          const { service } = s.deps.registrations;
          const done = await service.submit(
            {
              church: { name: o.name, slug: o.slug, timezone: o.timezone, currency: o.currency },
              admin: { name: o.adminName, email: o.adminEmail, password },
            },
            60_000,
          );
          console.log(
            `${done.tenant_id}  ${done.slug}  ${done.status}${done.error ? `  ${done.error}` : ''}`,
          );
          if (done.status !== 'ready') process.exitCode = 1;
        }),
    );

  for (const [name, what] of [
    ['suspend', 'refuse every token of a church until resumed'],
    ['resume', 'let a suspended church in again'],
  ] as const) {
    tenants
      .command(`${name} <idOrSlug>`)
      .description(what)
      .action((ref: string) =>
        withServices(async (s) => {
          const t = await s.deps.registrations.lifecycle[name](ref);
          console.log(`${t.id}  ${t.slug}  ${t.status}`);
        }),
      );
  }

  tenants
    .command('export <idOrSlug>')
    .description("write the church's full data as JSON under DATA_DIR/exports")
    .action((ref: string) =>
      withServices(async (s) => {
        console.log(await s.deps.registrations.lifecycle.exportToFile(ref));
      }),
    );

  tenants
    .command('delete <idOrSlug>')
    .description(
      'mark for deletion (tokens refused, export written); the database is dropped after the grace period',
    )
    .option('--now', 'drop the database now and free the slug')
    .action((ref: string, o: { now?: boolean }) =>
      withServices(async (s) => {
        const { tenant, exportFile } = await s.deps.registrations.lifecycle.requestDelete(ref, {
          now: o.now,
        });
        console.log(`${tenant.id}  ${tenant.status}${exportFile ? `  export: ${exportFile}` : ''}`);
      }),
    );
}
