/** One message on its way out: the stored bytes plus the SMTP envelope. */
export interface OutgoingMail {
  id: string;
  messageId: string;
  from: string;
  to: string;
  raw: string;
}

/**
 * Where messages go: an SMTP server (SMTP_URL) or, by default, .eml files under DATA_DIR/mail.
 * `send` resolves once the message is accepted; it throws a MailSendError otherwise.
 */
export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** A refused or failed send. `permanent`: the server said no for good (5xx); retrying is pointless. */
export class MailSendError extends Error {
  override name = 'MailSendError';
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SMTP replies 500-599 are permanent (RFC 5321); everything else (4xx, network) is retried. */
export function toMailSendError(err: unknown): MailSendError {
  if (err instanceof MailSendError) return err;
  const e = err as { responseCode?: number; response?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = (e.response ?? e.message ?? String(err)).slice(0, 500);
  return new MailSendError(text, code !== undefined && code >= 500 && code < 600, { cause: err });
}
