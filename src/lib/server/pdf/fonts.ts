import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The fonts every PDF Glane makes is drawn with: DejaVu Sans (regular, bold) and DejaVu Sans Mono
 * bold, embedded (subset) from the `dejavu-fonts-ttf` package. The PDF standard fonts only know
 * Windows-1252, so "Łucja", "Nguyễn" or "Олена" would print with "?"; DejaVu covers Latin, Greek,
 * Cyrillic and more. The files are resolved through the package (not the working directory) and
 * read once.
 *
 * Characters DejaVu lacks (CJK, for instance) do not crash anything: `printableText` folds them to
 * their base letter when that exists, otherwise prints "?" (see people.rules `cardText`).
 */

export const PDF_FONTS = {
  regular: 'Glane-Sans',
  bold: 'Glane-Sans-Bold',
  monoBold: 'Glane-Mono-Bold'
} as const;
export type PdfFont = (typeof PDF_FONTS)[keyof typeof PDF_FONTS];

const FILES: Record<PdfFont, string> = {
  [PDF_FONTS.regular]: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  [PDF_FONTS.bold]: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  [PDF_FONTS.monoBold]: 'dejavu-fonts-ttf/ttf/DejaVuSansMono-Bold.ttf'
};

const require = createRequire(import.meta.url);
let loaded: Map<PdfFont, Buffer> | null = null;

function fontBytes(): Map<PdfFont, Buffer> {
  if (!loaded) {
    loaded = new Map((Object.entries(FILES) as [PdfFont, string][]).map(([name, file]) => [name, readFileSync(require.resolve(file))]));
  }
  return loaded;
}

/** Registers the embedded fonts on a new document (call before any text). */
export function registerPdfFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, bytes] of fontBytes()) doc.registerFont(name, bytes);
}

/** What pdfkit keeps of the current font: its fontkit face (not in pdfkit's typings). */
interface FontFace {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/**
 * Whether `font` (registered on `doc`) has a glyph for a code point. Reads pdfkit's current font
 * face; if a pdfkit version stops exposing it, every code point counts as drawable (pdfkit then
 * draws its empty box, it does not fail) — the card tests would show it.
 */
export function glyphCheck(doc: PDFKit.PDFDocument, font: PdfFont): (codePoint: number) => boolean {
  doc.font(font);
  const face = (doc as unknown as { _font?: { font?: Partial<FontFace> } })._font?.font;
  if (typeof face?.hasGlyphForCodePoint !== 'function') return () => true;
  const has = face.hasGlyphForCodePoint.bind(face);
  return (codePoint) => has(codePoint);
}
