import type { StatementDocument } from './statement-document.js';
import { renderStatementPdf } from './statement-pdf.js';

/** The worker-thread entry (piscina): one statement in, its PDF bytes out. */
export default async function render(doc: StatementDocument): Promise<Uint8Array> {
  return new Uint8Array(await renderStatementPdf(doc));
}
