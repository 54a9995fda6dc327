import MailComposer from 'nodemailer/lib/mail-composer';

/** A message as the code that sends it describes it. */
export interface MailMessage {
  /** What the message is for: labels metrics and listings. */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

/** A composed message: what is stored in the outbox and sent byte for byte on every attempt. */
export interface ComposedMail {
  messageId: string;
  raw: string;
}

/** The domain of Message-IDs: the sender address's, so receivers see them as ours. */
export function messageIdDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'localhost';
}

/** Builds the RFC 5322 message once (nodemailer's composer), with a Message-ID fixed by `id`. */
export async function composeMail(
  message: MailMessage,
  o: { id: string; from: string; date: Date },
): Promise<ComposedMail> {
  const messageId = `<${o.id}@${messageIdDomain(o.from)}>`;
  const composer = new MailComposer({
    from: o.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    attachments: message.attachments,
    messageId,
    date: o.date,
  });
  const raw = await composer.compile().build();
  return { messageId, raw: raw.toString('latin1') };
}
