import type { Command } from 'commander';
import { listChurchMail, retryFailedMail } from '../mail/mail-admin.js';
import type { MailStatus } from '../mail/mail-outbox.table.js';
import { type Context, withCliServices } from './with-services.js';

const STATUSES: Record<string, readonly MailStatus[]> = {
  failed: ['failed'],
  queued: ['queued', 'sending'],
  sent: ['sent'],
  all: ['queued', 'sending', 'sent', 'failed'],
};

/** `steeple mail list|retry`: what the outboxes hold, and failed messages sent again. */
export function registerMailCommands(program: Command, context: Context): void {
  const mail = program.command('mail').description("the churches' outgoing mail");

  mail
    .command('list [church]')
    .description('list messages of one church (id or slug), or of every active church')
    .option('--status <status>', 'failed | queued | sent | all', 'failed')
    .option('--limit <n>', 'messages per church', '100')
    .action((ref: string | undefined, o: { status: string; limit: string }) =>
      withCliServices(context, async (s) => {
        const statuses = STATUSES[o.status];
        if (!statuses)
          throw Object.assign(new Error(`--status must be one of ${Object.keys(STATUSES).join(', ')}`), {
            code: 'VALIDATION_FAILED',
          });
        const { lifecycle } = s.deps.registrations;
        const churches = ref
          ? [await lifecycle.find(ref)]
          : (await lifecycle.list()).filter((t) => t.status === 'active');
        for (const church of churches) {
          for (const m of await listChurchMail(s.deps.tenants, church.id, statuses, Number(o.limit) || 100)) {
            const error = m.last_error ? `  ${m.last_error.replace(/\s+/g, ' ')}` : '';
            console.log(
              `${church.slug}  ${m.id}  ${m.status}  ${m.kind}  ${m.to_address}  attempts=${m.attempts}  ${m.created_at}${error}`,
            );
          }
        }
      }),
    );

  mail
    .command('retry <church> [ids...]')
    .description("queue a church's failed messages again (all, or those ids) and send them now")
    .action((ref: string, ids: string[]) =>
      withCliServices(context, async (s) => {
        const church = await s.deps.registrations.lifecycle.find(ref);
        const n = await retryFailedMail(s.deps, church.id, ids);
        if (n) await s.deps.mail.delivery.deliver(church.id);
        const left = await listChurchMail(s.deps.tenants, church.id, ['failed', 'queued', 'sending'], 1000);
        console.log(`${church.slug}: ${n} queued again; ${left.length} not sent yet`);
      }),
    );
}
