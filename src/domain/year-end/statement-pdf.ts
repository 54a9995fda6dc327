import PDFDocument from 'pdfkit';
import { formatMoney } from '../giving/statement-html.js';
import type { StatementDocument } from './statement-document.js';
import { BOLD, REGULAR, registerStatementFonts } from './statement-fonts.js';

const MARGIN = 54;
const BOTTOM = 792 - MARGIN;
const COLS = { date: MARGIN, method: MARGIN + 70, funds: MARGIN + 190, amountRight: 612 - MARGIN };

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Renders one contribution statement as a PDF. The same document gives the same bytes: the
 * PDF's dates (and so its file id) are fixed to the end of the statement's year.
 */
export function renderStatementPdf(s: StatementDocument): Promise<Buffer> {
  const fixed = new Date(Date.UTC(s.year, 11, 31, 12));
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    info: {
      Title: `${s.year} contribution statement - ${s.donor.name}`,
      Author: s.church.name,
      Creator: 'Steeple',
      Producer: 'Steeple',
      CreationDate: fixed,
      ModDate: fixed,
    },
  });
  registerStatementFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (cents: number) => formatMoney(cents, s.currency);
  const line = (text: string, o: { size?: number; bold?: boolean } = {}) =>
    doc
      .font(o.bold ? BOLD : REGULAR)
      .fontSize(o.size ?? 10)
      .text(text, MARGIN, undefined, { width: 612 - 2 * MARGIN });

  line(s.church.name, { size: 16, bold: true });
  for (const l of s.church.addressLines) line(l);
  doc.moveDown();
  line(`Contribution statement ${s.year}`, { size: 13, bold: true });
  line(`Gifts received January 1 - December 31, ${s.year} (dates in ${s.timezone}).`);
  doc.moveDown();
  line('Prepared for', { bold: true });
  line(s.donor.name);
  for (const l of s.donor.addressLines) line(l);
  doc.moveDown();

  const row = (cells: { date: string; method: string; funds: string; amount: string }, bold = false) => {
    if (doc.y > BOTTOM - 14) doc.addPage();
    const y = doc.y;
    doc.font(bold ? BOLD : REGULAR).fontSize(9);
    doc.text(cells.date, COLS.date, y, { lineBreak: false });
    // Cut by length, not measured width: measuring every cell doubles the time of a statement.
    doc.text(clip(cells.method, 22), COLS.method, y, { lineBreak: false });
    doc.text(clip(cells.funds, 48), COLS.funds, y, { lineBreak: false });
    // Right-aligned by measuring: `align: 'right'` runs pdfkit's line wrapper for every cell.
    doc.text(cells.amount, COLS.amountRight - doc.widthOfString(cells.amount), y, { lineBreak: false });
    doc.x = MARGIN;
    doc.y = y + 13;
  };
  row({ date: 'Date', method: 'Method', funds: 'Funds', amount: 'Amount' }, true);
  if (!s.gifts.length) line('No tax-deductible contributions this year.');
  for (const g of s.gifts) {
    row({
      date: g.receivedOn,
      method: g.correction ? `${g.method} (correction)` : g.method,
      funds: g.funds,
      amount: money(g.amountCents),
    });
  }
  row(
    { date: '', method: '', funds: 'Total tax-deductible contributions', amount: money(s.totalCents) },
    true,
  );
  doc.moveDown();
  if (doc.y > BOTTOM - 60) doc.addPage();
  line('By fund', { bold: true });
  for (const f of s.byFund) row({ date: '', method: '', funds: f.fundName, amount: money(f.totalCents) });
  doc.moveDown();
  if (s.uncommittedGifts > 0) {
    line(
      `${s.uncommittedGifts} gift${s.uncommittedGifts === 1 ? '' : 's'} of ${s.year} still in batches not yet committed ${
        s.uncommittedGifts === 1 ? 'is' : 'are'
      } not included here; ${s.uncommittedGifts === 1 ? 'it' : 'they'} will appear once counted and committed.`,
    );
    doc.moveDown();
  }
  line(s.receiptText);
  doc.moveDown();
  line(`${s.church.name} thanks you for your generosity. Please keep this statement for your tax records.`);
  doc.end();
  return done;
}
