import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/** The names a statement's text is set in, once `registerStatementFonts` has registered them. */
export const REGULAR = 'NotoSans';
export const BOLD = 'NotoSans-Bold';

let parsed: { regular: fontkit.Font; bold: fontkit.Font } | undefined;

function load(file: string): fontkit.Font {
  const path = createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-sans/${file}`);
  return fontkit.create(fs.readFileSync(path)) as fontkit.Font;
}

/**
 * Registers Noto Sans regular and bold (SIL Open Font License 1.1, which allows embedding) on a
 * document: Latin with every European accent, Greek and Cyrillic; each PDF embeds only the
 * letters it uses. The fonts are read and parsed once per thread: parsing the two 600 KB files
 * for every statement made a statement 20-40 times slower.
 */
export function registerStatementFonts(doc: PDFKit.PDFDocument): void {
  parsed ??= {
    regular: load('400Regular/NotoSans_400Regular.ttf'),
    bold: load('700Bold/NotoSans_700Bold.ttf'),
  };
  // pdfkit's typings list file paths and bytes only; its font factory also takes a parsed fontkit font.
  doc.registerFont(REGULAR, parsed.regular as unknown as Buffer);
  doc.registerFont(BOLD, parsed.bold as unknown as Buffer);
}
