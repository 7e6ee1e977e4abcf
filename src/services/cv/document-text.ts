/**
 * The text of a document: PDF (unpdf, pdf.js inside), DOCX (mammoth) or plain text (UTF-8, or
 * UTF-16 with its byte-order mark). The format is told by the content, not the name. Anything that
 * cannot be read throws a DocumentRefused that says why in words; the caller records it against
 * the document. Reading is bounded by the caller's time limit and, for DOCX, by zip-guard.ts.
 * The readers are loaded on first use: the CLI and servers that never read a document skip them.
 */
import { docxElementText } from './docx-text.js';
import { checkZip, ZipRefused } from './zip-guard.js';

export class DocumentRefused extends Error {
  override name = 'DocumentRefused';
}

export type DocumentFormat = 'pdf' | 'docx' | 'text';

/** A DOCX may inflate to this much at most. */
export const MAX_INFLATED_BYTES = 50 * 1024 * 1024;

export function formatOf(buf: Buffer): DocumentFormat {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) return 'docx';
  return 'text';
}

/** Control characters other than tab, line breaks and form feed (and ESC, which some text has). */
const hasControlCharacters = (s: string) =>
  [...s].some((ch) => {
    const c = ch.charCodeAt(0);
    return c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d && c !== 0x1b;
  });

function plainText(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(buf);
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(buf);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
    // Control characters other than whitespace mean a binary file, not text.
    if (hasControlCharacters(text.slice(0, 4096)))
      throw new DocumentRefused('the file is neither a PDF, a DOCX nor text');
    return text;
  } catch (err) {
    if (err instanceof DocumentRefused) throw err;
    throw new DocumentRefused('the text is not UTF-8 (or UTF-16 with a byte-order mark); save it as UTF-8');
  }
}

async function pdfText(buf: Buffer, signal: AbortSignal): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  const stop = () => void pdf?.destroy();
  signal.addEventListener('abort', stop);
  try {
    pdf = await getDocumentProxy(new Uint8Array(buf), {
      isEvalSupported: false,
      stopAtErrors: true,
      verbosity: 0,
    });
    const { text } = await extractText(pdf, { mergePages: true });
    return text;
  } catch (err) {
    const e = err as Error;
    if (signal.aborted) throw e;
    if (e.name === 'PasswordException') throw new DocumentRefused('the PDF is password-protected');
    throw new DocumentRefused(`the PDF cannot be read: ${e.message}`);
  } finally {
    signal.removeEventListener('abort', stop);
    void pdf?.destroy();
  }
}

async function docxText(buf: Buffer): Promise<string> {
  let names: string[];
  try {
    names = checkZip(buf, MAX_INFLATED_BYTES);
  } catch (err) {
    if (err instanceof ZipRefused) throw new DocumentRefused(`the DOCX cannot be read: ${err.message}`);
    throw err;
  }
  if (!names.includes('word/document.xml'))
    throw new DocumentRefused('the zip archive is not a DOCX document');
  const { default: mammoth } = await import('mammoth');
  try {
    // mammoth's raw text drops line breaks and splits table rows into cells: the elements are read.
    let document: unknown;
    await mammoth.convertToHtml(
      { buffer: buf },
      {
        transformDocument: (d: unknown) => {
          document = d;
          return d;
        },
      },
    );
    return docxElementText(document);
  } catch (err) {
    throw new DocumentRefused(`the DOCX cannot be read: ${(err as Error).message}`);
  }
}

/** Loads the reader of a format ahead of reading, so that loading it is not counted as reading. */
export async function loadReader(format: DocumentFormat): Promise<void> {
  if (format === 'pdf') await import('unpdf');
  else if (format === 'docx') await import('mammoth');
}

/** The document's text, or DocumentRefused; gives up when `timeoutMs` passes. */
export async function documentText(
  buf: Buffer,
  timeoutMs: number,
): Promise<{ format: DocumentFormat; text: string }> {
  const format = formatOf(buf);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DocumentRefused(`reading the document took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
  });
  try {
    const read =
      format === 'pdf'
        ? pdfText(buf, controller.signal)
        : format === 'docx'
          ? docxText(buf)
          : Promise.resolve().then(() => plainText(buf));
    read.catch(() => {});
    const text = await Promise.race([read, timeout]);
    return { format, text: text.normalize('NFC') };
  } finally {
    clearTimeout(timer);
  }
}
