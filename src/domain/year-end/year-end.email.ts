import type { MailMessage } from '../../mail/mail-message.js';

/** A donor's statement as an email: a short note with the PDF attached. */
export function yearEndEmail(o: {
  to: string;
  donor: string;
  church: string;
  year: number;
  pdf: Buffer;
}): MailMessage {
  return {
    kind: 'year-end-statement',
    to: o.to,
    subject: `Your ${o.year} giving statement from ${o.church}`,
    text: [
      `Dear ${o.donor},`,
      '',
      `Thank you for your generosity in ${o.year}. Your contribution statement for the year is attached`,
      'as a PDF. Please keep it for your tax records.',
      '',
      o.church,
    ].join('\n'),
    attachments: [
      { filename: `giving-statement-${o.year}.pdf`, content: o.pdf, contentType: 'application/pdf' },
    ],
  };
}
