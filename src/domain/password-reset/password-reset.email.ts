import type { MailMessage } from '../../mail/mail-message.js';

/** The reset email: plain text, the link on a line of its own so every client makes it clickable. */
export function passwordResetEmail(o: {
  to: string;
  name: string;
  church: string;
  link: string;
}): MailMessage {
  return {
    kind: 'password-reset',
    to: o.to,
    subject: `Reset your ${o.church} password`,
    text: [
      `Hello ${o.name},`,
      '',
      `Someone (we hope you) asked to reset your password for ${o.church}.`,
      'Open this link within one hour to choose a new one:',
      '',
      o.link,
      '',
      'The link works once. Setting a new password signs you out everywhere.',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  };
}
