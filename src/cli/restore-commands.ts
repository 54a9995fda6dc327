import fs from 'node:fs';
import type { Command } from 'commander';
import { restoreChurch } from '../domain/export/church-restore.js';
import { type Context, withCliServices } from './with-services.js';

/** `steeple tenants restore <file> [--as <slug>]`: a church from its export, on any engine. */
export function registerRestoreCommands(program: Command, context: Context): void {
  const tenants = program.commands.find((c) => c.name() === 'tenants') ?? program.command('tenants');
  tenants
    .command('restore <exportFile>')
    .description('create a church from an export file (checked first; placed like a signup)')
    .option('--as <slug>', 'its address, when the exported one is taken')
    .action((file: string, o: { as?: string }) =>
      withCliServices(context, async (s) => {
        const text = await fs.promises.readFile(file, 'utf8');
        const r = await restoreChurch(s.deps, text, { slug: o.as });
        console.log(`${r.tenantId}  ${r.slug}  restored: ${r.rows} rows on ${r.serverId ?? 'sqlite'}`);
      }),
    );
}
