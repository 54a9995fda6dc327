import type { Selectable } from 'kysely';

/** queued: waits for its next attempt; sending: claimed by a sender until `claimed_until`. */
export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** One outgoing message of a church, recorded with the change that caused it. */
export interface MailOutboxTable {
  /** UUIDv7; also the left part of the Message-ID. */
  id: string;
  /** `<id@domain>`, fixed when the message is composed: every retry sends the same one. */
  message_id: string;
  /** What kind of message (invite, password-reset, year-end-statement): metrics and listings. */
  kind: string;
  to_address: string;
  subject: string;
  /** The whole RFC 5322 message as composed (7-bit: attachments are base64 inside). */
  raw: string;
  /** Recording the same key again is a no-op: a retried request never sends twice. */
  dedupe_key: string | null;
  status: MailStatus;
  attempts: number;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}
export type MailOutboxRow = Selectable<MailOutboxTable>;

/** Catalog: churches that may have mail due, so senders never scan every church. */
export interface MailPendingTable {
  tenant_id: string;
  /** When the church's earliest queued message is due (ms since epoch). */
  due_at_ms: number;
  /** Bumped by every new message: a sender clears the row only if nothing was added meanwhile. */
  marked_at_ms: number;
}

declare module '../tenancy/tenant-database.js' {
  interface TenantDatabase {
    mail_outbox: MailOutboxTable;
  }
}

declare module '../platform/catalog.table.js' {
  interface CatalogDatabase {
    mail_pending: MailPendingTable;
  }
}
