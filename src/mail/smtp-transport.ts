import { createTransport } from 'nodemailer';
import { type MailTransport, type OutgoingMail, toMailSendError } from './mail-transport.js';

/**
 * Sends over SMTP with nodemailer's pooled transport: a few connections reused across messages
 * (a year-end run sends thousands), each send bounded by socket timeouts so a silent server
 * fails the attempt instead of hanging it.
 */
export function smtpTransport(url: string, o: { maxConnections: number }): MailTransport {
  const transport = createTransport({
    url,
    pool: true,
    maxConnections: o.maxConnections,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    async send(mail: OutgoingMail) {
      try {
        await transport.sendMail({ envelope: { from: mail.from, to: [mail.to] }, raw: mail.raw });
      } catch (err) {
        throw toMailSendError(err);
      }
    },
    close: () => transport.close(),
  };
}
