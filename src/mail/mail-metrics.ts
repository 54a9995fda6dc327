import { Counter, type Registry } from 'prom-client';

/** Counters of the outbox: messages recorded, delivered, failed for good and retried. */
export interface MailMetrics {
  queued(kind: string, n?: number): void;
  sent(kind: string): void;
  failed(kind: string): void;
  retried(kind: string): void;
}

export function createMailMetrics(registry: Registry): MailMetrics {
  const counter = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ['kind'] as const, registers: [registry] });
  const queued = counter('steeple_mail_queued_total', 'Messages recorded in an outbox');
  const sent = counter(
    'steeple_mail_sent_total',
    'Messages accepted by the mail server (or written as .eml)',
  );
  const failed = counter('steeple_mail_failed_total', 'Messages that failed for good (5xx or too old)');
  const retried = counter('steeple_mail_retried_total', 'Attempts that failed and will be retried');
  return {
    queued: (kind, n = 1) => queued.inc({ kind }, n),
    sent: (kind) => sent.inc({ kind }),
    failed: (kind) => failed.inc({ kind }),
    retried: (kind) => retried.inc({ kind }),
  };
}
