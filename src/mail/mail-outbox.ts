import type { Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Logger } from '../infra/logger.js';
import type { CatalogDb } from '../platform/catalog-db.js';
import type { TenantDatabase, TenantDb } from '../tenancy/tenant-database.js';
import { composeMail, type MailMessage } from './mail-message.js';
import type { MailMetrics } from './mail-metrics.js';
import { insertMail, markPending } from './mail-outbox.repository.js';

/** Records messages inside the caller's transaction. */
export type QueueMail = (message: MailMessage, opts?: { dedupeKey?: string }) => Promise<boolean>;

export interface MailOutboxDeps {
  catalog: CatalogDb;
  from: string;
  metrics: MailMetrics;
  logger: Logger;
  /** Starts a delivery pass for the church (the deliver-mail job); never throws. */
  dispatch(tenantId: string): Promise<void>;
}

/**
 * The one way to send mail: a message is written to the church's outbox in the same transaction
 * as the change that causes it, so it is sent if and only if that change commits. The catalog
 * is told first that the church has mail (a marker the sweeper reads), so a crash after the
 * commit still gets the message delivered; after the commit a delivery pass is started at once.
 */
export class MailOutbox {
  constructor(private readonly d: MailOutboxDeps) {}

  async transaction<T>(
    tenantId: string,
    db: TenantDb,
    work: (trx: Transaction<TenantDatabase>, queue: QueueMail) => Promise<T>,
  ): Promise<T> {
    await markPending(this.d.catalog, tenantId, Date.now(), Date.now());
    const recorded = new Map<string, number>();
    const result = await db.transaction().execute((trx) =>
      work(trx, async (message, opts = {}) => {
        const id = uuidv7();
        const now = new Date();
        const mail = await composeMail(message, { id, from: this.d.from, date: now });
        const inserted = await insertMail(trx, {
          id,
          message_id: mail.messageId,
          kind: message.kind,
          to_address: message.to,
          subject: message.subject,
          raw: mail.raw,
          dedupe_key: opts.dedupeKey ?? null,
          status: 'queued',
          attempts: 0,
          next_attempt_at: now.toISOString(),
          claimed_until: null,
          last_error: null,
          created_at: now.toISOString(),
          sent_at: null,
        });
        if (inserted) recorded.set(message.kind, (recorded.get(message.kind) ?? 0) + 1);
        return inserted;
      }),
    );
    if (recorded.size) {
      for (const [kind, n] of recorded) this.d.metrics.queued(kind, n);
      await this.d.dispatch(tenantId);
    }
    return result;
  }
}
