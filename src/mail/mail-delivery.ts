import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import type { CatalogDb } from '../platform/catalog-db.js';
import type { TenantDatabases, TenantDb } from '../tenancy/tenant-database.js';
import type { MailMetrics } from './mail-metrics.js';
import { claimMail, dueMailIds, nextDueAt, settleMail, settlePending } from './mail-outbox.repository.js';
import { type MailTransport, toMailSendError } from './mail-transport.js';

export interface MailDeliveryDeps {
  catalog: CatalogDb;
  tenants: TenantDatabases;
  transport: MailTransport;
  config: Config['mail'];
  metrics: MailMetrics;
  logger: Logger;
}

const PAGE = 200;

/**
 * Sends a church's due messages. Each message is claimed (status `sending` until a deadline)
 * before it is sent, so two passes never send it at once, and a pass that dies mid-send leaves
 * a claim that runs out and is taken over: at least once, always the stored bytes and Message-ID.
 * A 5xx refusal (or a message older than MAIL_GIVE_UP_MS) fails for good; anything else is
 * retried with doubling back-off.
 */
export class MailDelivery {
  constructor(private readonly d: MailDeliveryDeps) {}

  async deliver(tenantId: string): Promise<void> {
    const since = Date.now();
    await this.d.tenants.withTenant(tenantId, async (db) => {
      for (;;) {
        const ids = await dueMailIds(db, new Date().toISOString(), PAGE);
        if (!ids.length) break;
        await forEachLimited(ids, this.d.config.concurrency, (id) => this.sendOne(db, tenantId, id));
        if (ids.length < PAGE) break;
      }
      const next = await nextDueAt(db);
      await settlePending(this.d.catalog, tenantId, since, next === null ? null : Date.parse(next));
    });
  }

  private async sendOne(db: TenantDb, tenantId: string, id: string): Promise<void> {
    const now = Date.now();
    const row = await claimMail(
      db,
      id,
      new Date(now).toISOString(),
      new Date(now + this.d.config.claimMs).toISOString(),
    );
    if (!row) return;
    const log = { tenantId, mailId: id, kind: row.kind, attempt: row.attempts };
    try {
      await this.d.transport.send({
        id: row.id,
        messageId: row.message_id,
        from: this.d.config.from,
        to: row.to_address,
        raw: row.raw,
      });
    } catch (err) {
      const e = toMailSendError(err);
      const tooOld = Date.now() - Date.parse(row.created_at) >= this.d.config.giveUpMs;
      if (e.permanent || tooOld) {
        await settleMail(db, id, { status: 'failed', error: e.message });
        this.d.metrics.failed(row.kind);
        this.d.logger.warn({ ...log, err: e.message }, 'mail failed for good');
      } else {
        const { retryBaseMs, retryMaxMs } = this.d.config;
        const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(30, row.attempts - 1));
        await settleMail(db, id, {
          status: 'queued',
          error: e.message,
          nextIso: new Date(Date.now() + delay).toISOString(),
        });
        this.d.metrics.retried(row.kind);
        this.d.logger.info({ ...log, err: e.message, retryInMs: delay }, 'mail not sent; will retry');
      }
      return;
    }
    await settleMail(db, id, { status: 'sent', atIso: new Date().toISOString() });
    this.d.metrics.sent(row.kind);
  }
}

// A handful of sends at once over the pooled SMTP connections; a bounded pool of loops is all
// this needs, so no library.
async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const loop = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, loop));
}
