/**
 * The reader thread's memory limit holds for what its heap limit does not count: the buffers a
 * decompressor fills. A PDF whose content stream inflates past the limit is refused, and the
 * thread is stopped, not left to fill the process's memory.
 */
import { describe, expect, it } from 'vitest';
import { pdfFlateBomb } from '../../../test/fixtures/bad-documents.js';
import { readCv } from './cv-reader.js';

describe('the CV reader thread', () => {
  it('refuses a PDF whose stream inflates past its memory limit', async () => {
    const bomb = pdfFlateBomb(1024);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const outcome = await readCv(bomb, { now: new Date(), timeoutMs: 120_000, memoryMb: 256 });
    expect(outcome).toEqual({ failure: 'reading the document needed more than 256 MiB of memory' });
  }, 150_000);
});
