import type { MailMessage } from '../../mail/mail-message.js';

/** The invite email: plain text, the link on a line of its own. */
export function inviteEmail(o: {
  to: string;
  church: string;
  role: string;
  invitedBy: string | null;
  link: string;
}): MailMessage {
  const who = o.invitedBy ? `${o.invitedBy} has invited you` : 'You have been invited';
  return {
    kind: 'invite',
    to: o.to,
    subject: `You are invited to ${o.church}`,
    text: [
      'Hello,',
      '',
      `${who} to join ${o.church} on Steeple as ${o.role}.`,
      'Open this link within 7 days to choose your name and password:',
      '',
      o.link,
      '',
      'The link works once. If you did not expect this invitation, ignore this email.',
    ].join('\n'),
  };
}
