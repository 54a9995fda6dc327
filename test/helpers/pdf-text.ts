import { PDFParse } from 'pdf-parse';

/** The text of a PDF as a reader would copy it (pdf-parse), to check what a statement says. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: Buffer.from(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}
