import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailMessage } from '../../../src/mail/mail-message.js';
import { listMail, requeueFailed } from '../../../src/mail/mail-outbox.repository.js';
import type { MailStatus } from '../../../src/mail/mail-outbox.table.js';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { waitUntil } from '../../helpers/http-api.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';
import { type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.js';
import { runCli } from '../tenancy/cli-runner.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FAST_RETRY = { MAIL_RETRY_BASE_MS: '50', MAIL_RETRY_MAX_MS: '200', MAIL_SWEEP_INTERVAL_MS: '50' };

async function stackWith(dialect: (typeof DIALECTS)[number], env: Record<string, string>) {
  const stack = await createTestStack(dialect, { ...FAST_RETRY, ...env });
  cleanups.push(() => stack.close());
  const church = await createTestChurch(stack, { roles: ['admin'] });
  return { stack, church };
}

async function sinkOf(mode?: Parameters<typeof startSmtpSink>[0]): Promise<SmtpSink> {
  const sink = await startSmtpSink(mode);
  cleanups.push(() => sink.close());
  return sink;
}

const hello = (to = 'ana@example.org'): MailMessage => ({
  kind: 'test',
  to,
  subject: 'Hello from Steeple',
  text: 'A line of text: https://example.org/x#token=abc',
  attachments: [
    { filename: 'note.pdf', content: Buffer.from('%PDF-1.4 fake'), contentType: 'application/pdf' },
  ],
});

/** Records `messages` in one transaction of the church's database. */
function record(stack: TestStack, church: TestChurch, messages: MailMessage[], dedupeKey?: string) {
  const { mail, tenants } = stack.services.deps;
  return tenants.withTenant(church.id, (db) =>
    mail.outbox.transaction(church.id, db, async (_trx, queue) => {
      const results: boolean[] = [];
      for (const m of messages) results.push(await queue(m, { dedupeKey }));
      return results;
    }),
  );
}

const rows = (
  stack: TestStack,
  church: TestChurch,
  statuses: readonly MailStatus[] = ['queued', 'sending', 'sent', 'failed'],
) => stack.services.deps.tenants.withTenant(church.id, (db) => listMail(db, statuses, 100));

describe.each(DIALECTS)('mail outbox (%s)', (dialect) => {
  it('delivers over SMTP: headers, text with its link, attachment, a stable Message-ID', async () => {
    const sink = await sinkOf();
    const { stack, church } = await stackWith(dialect, {
      SMTP_URL: sink.url,
      MAIL_FROM: 'Grace <office@grace.example>',
    });
    await record(stack, church, [hello()]);
    const [m] = await sink.waitForMessages(1);
    expect(m!.subject).toBe('Hello from Steeple');
    expect(m!.from?.text).toBe('"Grace" <office@grace.example>');
    expect(m!.to && 'text' in m!.to ? m!.to.text : '').toBe('ana@example.org');
    expect(m!.text).toContain('https://example.org/x#token=abc');
    expect(m!.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ['note.pdf', 'application/pdf', '%PDF-1.4 fake'],
    ]);
    const [row] = await rows(stack, church);
    expect(m!.messageId).toBe(row!.message_id);
    expect(row!.message_id).toMatch(/^<[0-9a-f-]{36}@grace\.example>$/);
    await waitUntil('marked sent', async () => (await rows(stack, church))[0]?.status === 'sent');
    const metrics = await stack.services.deps.metrics.metrics();
    expect(metrics).toMatch(/steeple_mail_queued_total\{kind="test"\} 1/);
    expect(metrics).toMatch(/steeple_mail_sent_total\{kind="test"\} 1/);
  });

  it('sends nothing when the transaction that records the message rolls back', async () => {
    const sink = await sinkOf();
    const { stack, church } = await stackWith(dialect, { SMTP_URL: sink.url });
    const { mail, tenants } = stack.services.deps;
    await expect(
      tenants.withTenant(church.id, (db) =>
        mail.outbox.transaction(church.id, db, async (_trx, queue) => {
          await queue(hello());
          throw new Error('the change failed');
        }),
      ),
    ).rejects.toThrow('the change failed');
    await record(stack, church, [hello('second@example.org')]);
    await sink.waitForMessages(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.attempts).toHaveLength(1);
    expect(await rows(stack, church)).toHaveLength(1);
  });

  it('records a dedupe key once: a retried request never sends twice', async () => {
    const sink = await sinkOf();
    const { stack, church } = await stackWith(dialect, { SMTP_URL: sink.url });
    expect(await record(stack, church, [hello()], 'k1')).toEqual([true]);
    expect(await record(stack, church, [hello()], 'k1')).toEqual([false]);
    await sink.waitForMessages(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.attempts).toHaveLength(1);
  });

  it('SMTP refusing (451) then accepting: delivered once, same Message-ID on every attempt', async () => {
    const sink = await sinkOf('tempfail');
    const { stack, church } = await stackWith(dialect, { SMTP_URL: sink.url });
    await record(stack, church, [hello()]);
    await waitUntil('three refused attempts', () => sink.attempts.length >= 3, 20_000);
    // Between attempts the message is queued again; a next attempt may already be under way
    // (status 'sending') at the moment the third refusal is seen.
    await waitUntil('queued for a retry', async () => (await rows(stack, church))[0]?.status === 'queued');
    expect((await rows(stack, church))[0]).toMatchObject({
      status: 'queued',
      last_error: expect.stringContaining('Try again'),
    });
    sink.mode = 'accept';
    const [m] = await sink.waitForMessages(1);
    expect(new Set(sink.attempts)).toEqual(new Set([m!.messageId]));
    await waitUntil('marked sent', async () => (await rows(stack, church))[0]?.status === 'sent');
    await new Promise((r) => setTimeout(r, 200));
    expect(sink.messages).toHaveLength(1);
  });

  it('a 5xx refusal fails for good, is listed, and is sent after an operator retry', async () => {
    const sink = await sinkOf('permfail');
    const { stack, church } = await stackWith(dialect, { SMTP_URL: sink.url });
    await record(stack, church, [hello()]);
    await waitUntil('failed', async () => (await rows(stack, church))[0]?.status === 'failed');
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.attempts).toHaveLength(1);
    const failed = await rows(stack, church, ['failed']);
    expect(failed[0]).toMatchObject({
      to_address: 'ana@example.org',
      last_error: expect.stringContaining('No such user'),
    });
    expect(await stack.services.deps.metrics.metrics()).toMatch(/steeple_mail_failed_total\{kind="test"\} 1/);

    sink.mode = 'accept';
    const { tenants, mail } = stack.services.deps;
    expect(await tenants.withTenant(church.id, (db) => requeueFailed(db, new Date().toISOString()))).toBe(1);
    await mail.delivery.deliver(church.id);
    expect(await sink.waitForMessages(1)).toHaveLength(1);
  });

  it('a send claimed by a process that died is taken over once its claim runs out', async () => {
    const sink = await sinkOf();
    const { stack, church } = await stackWith(dialect, {
      SMTP_URL: sink.url,
      MAIL_SWEEP_INTERVAL_MS: '100000',
    });
    const { tenants, catalog } = stack.services.deps;
    // As a dead sender leaves it: claimed, its deadline gone, the catalog still marking it due.
    await record(stack, church, [hello()]);
    await sink.waitForMessages(1);
    // The first send has finished only once it has cleared the church's catalog mark.
    await waitUntil(
      'first send done',
      async () => (await catalog.selectFrom('mail_pending').selectAll().execute()).length === 0,
    );
    await tenants.withTenant(church.id, (db) =>
      db
        .updateTable('mail_outbox')
        .set({ status: 'sending', claimed_until: new Date(Date.now() - 1).toISOString() })
        .execute(),
    );
    await catalog
      .insertInto('mail_pending')
      .values({ tenant_id: church.id, due_at_ms: 0, marked_at_ms: 0 })
      .execute();
    await stack.services.deps.mail.delivery.deliver(church.id);
    const messages = await sink.waitForMessages(2);
    expect(messages[1]!.messageId).toBe(messages[0]!.messageId);
    expect(await catalog.selectFrom('mail_pending').selectAll().execute()).toEqual([]);
  });
});

describe('mail without SMTP_URL', () => {
  it('writes each message as an .eml file under DATA_DIR/mail', async () => {
    const { stack, church } = await stackWith('sqlite', {});
    await record(stack, church, [hello()]);
    const dir = path.join(stack.config.dataDir, 'mail');
    await waitUntil(
      'eml written',
      () => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.eml')),
    );
    const [file] = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, file!)));
    expect(parsed.subject).toBe('Hello from Steeple');
    expect(parsed.attachments[0]?.filename).toBe('note.pdf');
  });
});

describe('steeple mail list|retry (real CLI)', () => {
  it('lists a failed message and sends it again', async () => {
    const sink = await sinkOf('permfail');
    const { stack, church } = await stackWith('sqlite', { SMTP_URL: sink.url });
    await record(stack, church, [hello()]);
    await waitUntil('failed', async () => (await rows(stack, church))[0]?.status === 'failed');
    const env = { DATA_DIR: stack.config.dataDir, SMTP_URL: sink.url };
    const listed = await runCli(['mail', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(
        `^${church.slug} {2}\\S+ {2}failed {2}test {2}ana@example.org {2}attempts=1 .*No such user`,
        'm',
      ),
    );
    sink.mode = 'accept';
    const retried = await runCli(['mail', 'retry', church.slug], env);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`${church.slug}: 1 queued again; 0 not sent yet`);
    expect(await sink.waitForMessages(1)).toHaveLength(1);
    const bad = await runCli(['mail', 'list', '--status', 'nope'], env);
    expect(bad.code).toBe(1);
  }, 120_000);
});
