import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { PDF_FONTS, glyphCheck, registerPdfFonts, type PdfFont } from '../../pdf/fonts.js';
import { CARD_TAGLINE, cardPageSize, cardText, formatCardCode, type CardFormat } from './people.rules.js';

/**
 * The printed card of an accompanied person (pdfkit + qrcode). It shows ONLY the first name, a QR
 * code of the card code, the code in large letters, the organisation's name and one line saying
 * what the card is for: nothing about the household, the profile, the commune or any aid, so a
 * lost card tells its finder nothing. The PDF metadata carry no name either. Text is drawn with
 * the embedded DejaVu fonts (server/pdf/fonts.ts), so names in any European script print as typed.
 */

export interface CardContent {
  firstName: string;
  /** Normalised code (8 symbols): printed as XXXX-XXXX and encoded in the QR code. */
  code: string;
  organisationName: string;
}

export interface CardPdfOptions {
  /** Tests pass false so the text can be read in the raw PDF. */
  compress?: boolean;
  /** Fixed creation date (tests: identical bytes for identical input). */
  creationDate?: Date;
}

/** Draws `text` centred in the box on one line, shrinking the font size until it fits; returns its height. */
function fitLine(
  doc: PDFKit.PDFDocument,
  text: string,
  box: { x: number; y: number; width: number },
  font: PdfFont,
  maxSize: number,
  minSize: number
): number {
  doc.font(font);
  let size = maxSize;
  while (size > minSize && doc.fontSize(size).widthOfString(text) > box.width) size -= 0.25;
  doc.fontSize(size).text(text, box.x, box.y, { width: box.width, align: 'center', lineBreak: false, ellipsis: true });
  return doc.currentLineHeight();
}

/** Draws `text` centred, wrapped on at most `lines` lines (then cut with an ellipsis); returns its height. */
function block(
  doc: PDFKit.PDFDocument,
  text: string,
  box: { x: number; y: number; width: number },
  font: PdfFont,
  size: number,
  lines: number
): number {
  doc.font(font).fontSize(size);
  const options = { width: box.width, align: 'center' as const };
  const height = Math.min(doc.heightOfString(text, options), doc.currentLineHeight(true) * lines);
  doc.text(text, box.x, box.y, { ...options, height, ellipsis: true });
  return height;
}

/** The card as PDF bytes, A6 portrait or ID-1 (85.6 × 54 mm) landscape. */
export async function renderCardPdf(card: CardContent, format: CardFormat, options: CardPdfOptions = {}): Promise<Buffer> {
  const [width, height] = cardPageSize(format);
  const printed = formatCardCode(card.code);
  const qr = await QRCode.toBuffer(printed, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 8 });
  const doc = new PDFDocument({
    size: [width, height],
    margin: 0,
    compress: options.compress ?? true,
    info: { Title: 'Carte Glane', Creator: 'Glane', Producer: 'Glane', CreationDate: options.creationDate ?? new Date() },
    lang: 'fr-FR'
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  registerPdfFonts(doc);
  const regular = glyphCheck(doc, PDF_FONTS.regular);
  const bold = glyphCheck(doc, PDF_FONTS.bold);
  const organisation = cardText(card.organisationName, bold);
  const firstName = cardText(card.firstName, bold);
  const tagline = cardText(CARD_TAGLINE, regular);

  if (format === 'a6') {
    const m = 22;
    const inner = { x: m, width: width - 2 * m };
    let y = m;
    y += block(doc, organisation, { ...inner, y }, PDF_FONTS.bold, 12, 2) + 4;
    y += block(doc, tagline, { ...inner, y }, PDF_FONTS.regular, 9, 2) + 16;
    y += fitLine(doc, firstName, { ...inner, y }, PDF_FONTS.bold, 26, 12) + 14;
    const qrSize = Math.min(inner.width, 180);
    doc.image(qr, (width - qrSize) / 2, y, { width: qrSize, height: qrSize });
    y += qrSize + 12;
    fitLine(doc, printed, { ...inner, y }, PDF_FONTS.monoBold, 28, 14);
    doc.rect(8, 8, width - 16, height - 16).lineWidth(0.75).strokeColor('#555555').stroke();
  } else {
    const m = 9;
    const qrSize = 105;
    doc.image(qr, m, (height - qrSize) / 2, { width: qrSize, height: qrSize });
    const x = m + qrSize + 8;
    const box = { x, width: width - x - m };
    let y = m + 2;
    y += block(doc, organisation, { ...box, y }, PDF_FONTS.bold, 7.5, 2) + 3;
    y += block(doc, tagline, { ...box, y }, PDF_FONTS.regular, 6, 2) + 12;
    y += fitLine(doc, firstName, { ...box, y }, PDF_FONTS.bold, 16, 7) + 10;
    fitLine(doc, printed, { ...box, y }, PDF_FONTS.monoBold, 15, 8);
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
