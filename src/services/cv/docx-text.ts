/**
 * The text of a DOCX document as mammoth reads it into elements (its `transformDocument` hook):
 * paragraphs and line breaks (`<w:br/>`, `<w:cr/>`) end lines, a table row is one line with its
 * cells joined by ` | `, and the lines of one cell are joined by `, `. The CV parser reads a line
 * as one statement ("Credit Analyst, Safaricom PLC | Jan 2018 – Present"), as a reader would.
 */
interface DocxElement {
  type: string;
  value?: string;
  children?: DocxElement[];
}

const childrenText = (e: DocxElement): string => (e.children ?? []).map(elementText).join('');

const cellText = (cell: DocxElement): string =>
  childrenText(cell)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(', ');

function elementText(e: DocxElement): string {
  switch (e.type) {
    case 'text':
      return e.value ?? '';
    case 'tab':
      return '\t';
    case 'break':
      return '\n';
    case 'paragraph':
      return `${childrenText(e)}\n`;
    case 'tableRow':
      return `${(e.children ?? []).map(cellText).join(' | ')}\n`;
    default:
      return childrenText(e);
  }
}

export function docxElementText(document: unknown): string {
  return elementText(document as DocxElement);
}
