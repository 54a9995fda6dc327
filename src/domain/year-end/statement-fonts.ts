import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/** A font as pdfkit's `registerFont` takes it: pdfkit uses an already parsed fontkit font as it is. */
export type ParsedFont = Buffer;

export interface StatementFonts {
  regular: ParsedFont;
  bold: ParsedFont;
}

let fonts: StatementFonts | undefined;

function load(file: string): ParsedFont {
  const path = createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-sans/${file}`);
  const font = fontkit.create(fs.readFileSync(path));
  // pdfkit's font source types omit fontkit fonts, which its font factory accepts (anything with layout()).
  return font as unknown as ParsedFont;
}

/**
 * Noto Sans regular and bold (SIL Open Font License 1.1, which allows embedding): Latin with
 * every European accent, Greek and Cyrillic. Read and parsed once per thread: parsing a 600 KB
 * font for every statement would cost far more than drawing the statement.
 */
export function statementFonts(): StatementFonts {
  fonts ??= {
    regular: load('400Regular/NotoSans_400Regular.ttf'),
    bold: load('700Bold/NotoSans_700Bold.ttf'),
  };
  return fonts;
}
