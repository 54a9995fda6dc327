import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** How the sink answers the end of a message: accept, 451 (try later), 550 (never), or not at all. */
export type SinkMode = 'accept' | 'tempfail' | 'permfail' | 'hang';

export interface SmtpSink {
  url: string;
  /** Messages accepted, parsed. */
  messages: ParsedMail[];
  /** The Message-ID of every attempt that reached DATA, accepted or not. */
  attempts: string[];
  mode: SinkMode;
  /** Resolves once `n` messages were accepted (rejects after `timeoutMs`). */
  waitForMessages(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on loopback that parses what it receives (mailparser). */
export async function startSmtpSink(mode: SinkMode = 'accept'): Promise<SmtpSink> {
  const sink = { messages: [] as ParsedMail[], attempts: [] as string[], mode };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 50 * 1024 * 1024,
    // A hung test connection must not hold the test's teardown.
    closeTimeout: 200,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const parsed = await simpleParser(Buffer.concat(chunks));
        sink.attempts.push(parsed.messageId ?? '');
        if (sink.mode === 'hang') return;
        if (sink.mode === 'accept') {
          sink.messages.push(parsed);
          return callback();
        }
        const err = Object.assign(new Error(sink.mode === 'tempfail' ? 'Try again later' : 'No such user'), {
          responseCode: sink.mode === 'tempfail' ? 451 : 550,
        });
        callback(err);
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${port}`,
    async waitForMessages(n: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (sink.messages.length < n) {
        if (Date.now() > deadline)
          throw new Error(`smtp sink: ${sink.messages.length} of ${n} messages after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return sink.messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
