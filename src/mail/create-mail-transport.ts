import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import { emlFileTransport } from './eml-file-transport.js';
import type { MailTransport } from './mail-transport.js';
import { smtpTransport } from './smtp-transport.js';

/** The one place the delivery backend is chosen: SMTP when SMTP_URL is set, else .eml files. */
export function createMailTransport(config: Pick<Config, 'mail' | 'dataDir'>, logger: Logger): MailTransport {
  return config.mail.smtpUrl
    ? smtpTransport(config.mail.smtpUrl, { maxConnections: config.mail.concurrency })
    : emlFileTransport(path.join(config.dataDir, 'mail'), logger);
}
