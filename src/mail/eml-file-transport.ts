import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../infra/logger.js';
import type { MailTransport, OutgoingMail } from './mail-transport.js';

/**
 * The default with no SMTP_URL: each message becomes `<id>.eml` under `dir` (any mail client
 * opens it) and one log line, so a developer sees what would have been sent. Written to a
 * temporary name and renamed, so a crash never leaves half a message.
 */
export function emlFileTransport(dir: string, logger: Logger): MailTransport {
  let made: Promise<unknown> | undefined;
  return {
    kind: 'file',
    async send(mail: OutgoingMail) {
      made ??= fs.mkdir(dir, { recursive: true, mode: 0o700 });
      await made;
      const file = path.join(dir, `${mail.id}.eml`);
      const tmp = `${file}.tmp`;
      await fs.writeFile(tmp, mail.raw, { encoding: 'latin1', mode: 0o600 });
      await fs.rename(tmp, file);
      logger.info({ to: mail.to, messageId: mail.messageId, file }, 'mail written (no SMTP_URL set)');
    },
    close: () => {},
  };
}
