import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { docxZipBomb, hiddenDocxZipBomb, zip } from '../../../test/fixtures/bad-documents.js';
import { documentText, formatOf } from './document-text.js';

describe('document text', () => {
  it('tells the format from the content, not the name', () => {
    expect(formatOf(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(formatOf(zip({ 'word/document.xml': Buffer.from('<w/>') }))).toBe('docx');
    expect(formatOf(Buffer.from('Amina Odhiambo'))).toBe('text');
  });

  it('reads UTF-16 text with its byte-order mark', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Née le 2 mars 1991', 'utf16le')]);
    expect((await documentText(utf16, 5000)).text).toBe('Née le 2 mars 1991');
  });

  it('refuses a zip that is not a DOCX, and a binary file', async () => {
    await expect(documentText(zip({ 'a.txt': Buffer.from('x') }), 5000)).rejects.toThrow(
      'the zip archive is not a DOCX document',
    );
    await expect(documentText(Buffer.from([0x00, 0x01, 0x02, 0x41]), 5000)).rejects.toThrow(
      'the file is neither a PDF, a DOCX nor text',
    );
    await expect(documentText(docxZipBomb(), 5000)).rejects.toThrow(/zip bomb/);
    // A bomb named as an entry before it and left out of the archive's count is not let through,
    // nor is an entry the count leaves out.
    await expect(documentText(hiddenDocxZipBomb(), 5000)).rejects.toThrow(
      'the zip archive holds the entry word/document.xml twice',
    );
    const uncounted = zip(
      [
        ['[Content_Types].xml', Buffer.from('<Types/>')],
        ['word/document.xml', Buffer.from('<w:document/>')],
        ['word/media/a.bin', Buffer.from('x')],
      ],
      { count: 2 },
    );
    await expect(documentText(uncounted, 5000)).rejects.toThrow(
      'the zip directory holds 3 entries where the archive says 2',
    );
  });

  it('reads a DOCX line break as a new line, and a table row as one line of its cells', async () => {
    const cell = (...lines: string[]) => new TableCell({ children: lines.map((l) => new Paragraph(l)) });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({
              children: [
                new TextRun('Credit Analyst, Safaricom PLC'),
                new TextRun({ text: 'Jan 2018 – Present', break: 1 }),
              ],
            }),
            new Table({
              rows: [
                new TableRow({
                  children: [cell('Teacher'), cell('Moi Primary School'), cell('2012 – 2014')],
                }),
                new TableRow({
                  children: [cell('KCB Group', 'Nairobi'), cell('Cashier'), cell('Feb 2010 – Dec 2011')],
                }),
              ],
            }),
          ],
        },
      ],
    });
    const text = (await documentText(await Packer.toBuffer(doc), 20_000)).text;
    expect(text.split('\n').filter((l) => l.trim() !== '')).toEqual([
      'Credit Analyst, Safaricom PLC',
      'Jan 2018 – Present',
      'Teacher | Moi Primary School | 2012 – 2014',
      'KCB Group, Nairobi | Cashier | Feb 2010 – Dec 2011',
    ]);
  });

  it('gives up on a document that takes longer than its time limit', async () => {
    const d = await PDFDocument.create();
    const font = await d.embedFont(StandardFonts.Helvetica);
    for (let p = 0; p < 40; p++)
      d.addPage().drawText(`Page ${p} of a long CV`, { x: 40, y: 700, font, size: 12 });
    const pdf = Buffer.from(await d.save());
    await expect(documentText(pdf, 1)).rejects.toThrow('reading the document took longer than 0.001 s');
    expect((await documentText(pdf, 20_000)).text).toContain('Page 39 of a long CV');
  });
});
