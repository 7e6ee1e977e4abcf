import { Document, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { corruptPdf, docxZipBomb, encryptedPdf, latin1Text } from '../../../test/fixtures/bad-documents.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINES } from '../../../test/helpers/databases.js';
import {
  type FakeNetworks,
  fakeConnectorConfig,
  startFakeNetworks,
} from '../../../test/helpers/fake-networks.js';
import { calculateBody, fsClient } from '../../../test/helpers/friendlyscore.js';

const CV_LINES = [
  'Wanjiru Kamau',
  'Nairobi, Kenya · wanjiru.kamau@example.com · +254 722 000 111',
  'Date of birth: 21 July 1992',
  'Experience',
  'Loan Officer, Equity Bank — Feb 2016 – Present',
  'Education',
  'BCom, Strathmore University, 2010 - 2014',
  'Skills: Excel, accounting, Kiswahili',
];

async function pdf(lines: string[]): Promise<Buffer> {
  const d = await PDFDocument.create();
  const page = d.addPage();
  const font = await d.embedFont(StandardFonts.Helvetica);
  lines.forEach((l, i) => {
    page.drawText(l.replace('·', '-').replace('—', '-').replace('–', '-'), {
      x: 40,
      y: 780 - i * 18,
      size: 11,
      font,
    });
  });
  return Buffer.from(await d.save());
}

const docx = async (lines: string[]) =>
  Buffer.from(
    await Packer.toBuffer(new Document({ sections: [{ children: lines.map((l) => new Paragraph(l)) }] })),
  );

for (const engine of ENGINES) {
  describe(`CV documents on ${engine}`, () => {
    let fake: FakeNetworks;
    let t: TestApp;
    beforeAll(async () => {
      fake = await startFakeNetworks();
    });
    afterAll(async () => fake.stop());
    afterEach(async () => {
      vi.restoreAllMocks();
      await t?.close();
    });

    const app = (documentMaxBytes = 10 * 1024 * 1024) =>
      createTestApp(engine, {
        config: { connectors: fakeConnectorConfig(fake, { attempts: 2, documentMaxBytes }) },
      });

    async function subject(tenant: string) {
      const { tenantId, key } = await t.tenantWithKey(tenant);
      const c = await fsClient(t, tenant, { create: false });
      await c.call(
        'POST',
        '/api/v2/users/partner-id/p1/calculate_score.json',
        calculateBody({ access_tokens: { twitter_user_id: '1' } }),
      );
      await t.ctx.queue.drain();
      const user = await t.ctx.friendlyscore.users.get(tenantId, { type: 'partner-id', value: 'p1' });
      const upload = (body: Buffer, type: string, name: string) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/subjects/${user.subjectId}/data/documents?name=${name}`,
          headers: { authorization: `Bearer ${key}`, 'content-type': type },
          payload: body,
        });
      const doc = (id: string) =>
        t.app.inject({
          method: 'GET',
          url: `/api/v1/subjects/${user.subjectId}/data/documents/${id}`,
          headers: { authorization: `Bearer ${key}` },
        });
      return { c, key, user, upload, doc };
    }

    it('reads uploaded PDF, DOCX and text CVs and serves what they gave through raw-file-data', async () => {
      t = await app();
      const s = await subject('acme');
      const uploads = [
        await s.upload(await pdf(CV_LINES), 'application/pdf', 'cv.pdf'),
        await s.upload(
          await docx(CV_LINES),
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'cv.docx',
        ),
        await s.upload(Buffer.from(CV_LINES.join('\n')), 'text/plain', 'cv.txt'),
      ];
      for (const u of uploads) expect(u.statusCode, u.body).toBe(202);
      await t.ctx.queue.drain();
      for (const u of uploads) {
        const d = (await s.doc(u.json().id)).json();
        expect(d.status, d.name).toBe('parsed');
        expect(d.extraction.emails).toEqual(['wanjiru.kamau@example.com']);
        expect(d.extraction['days-of-birth']).toEqual(['1992-07-21']);
      }
      const get = async (part: string) =>
        (await s.c.call('GET', `/api/v2/users/partner-id/p1/google/raw-file-data/${part}.json`)).json();
      expect(await get('emails')).toEqual(['wanjiru.kamau@example.com']);
      expect(await get('phones')).toEqual(['+254722000111']);
      expect(await get('days-of-birth')).toEqual(['1992-07-21']);
      expect(await get('universities')).toEqual(['Strathmore University']);
      expect(await get('places')).toEqual(['Nairobi', 'Kenya']);
      expect(await get('skills')).toEqual(expect.arrayContaining(['Excel', 'Accounting', 'Swahili']));
      expect(await get('work-periods')).toEqual([
        { employer: 'Equity Bank', title: 'Loan Officer', from: '2016-02', to: null },
      ]);
    });

    it('records a clear failure for each unreadable document and keeps the queue moving', async () => {
      t = await app();
      const s = await subject('acme');
      const bad = [
        [corruptPdf(), 'application/pdf', 'the PDF cannot be read: Invalid PDF structure.'],
        [encryptedPdf(), 'application/pdf', 'the PDF is password-protected'],
        [
          docxZipBomb(),
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'the DOCX cannot be read: the archive inflates to more than 52428800 bytes (a zip bomb?)',
        ],
        [
          latin1Text(),
          'text/plain',
          'the text is not UTF-8 (or UTF-16 with a byte-order mark); save it as UTF-8',
        ],
      ] as const;
      const ids: string[] = [];
      for (const [body, type] of bad) ids.push((await s.upload(body, type, 'x')).json().id);
      const good = (await s.upload(Buffer.from(CV_LINES.join('\n')), 'text/plain', 'cv.txt')).json().id;
      await t.ctx.queue.drain();
      for (const [i, id] of ids.entries()) {
        const d = (await s.doc(id)).json();
        expect(d).toMatchObject({ status: 'failed', failure: bad[i]![2], extraction: null });
      }
      expect((await s.doc(good)).json().status).toBe('parsed');
    });

    it('stops reading a document when its time is up, parsing included, and answers meanwhile', async () => {
      t = await createTestApp(engine, {
        config: { connectors: fakeConnectorConfig(fake, { attempts: 2, documentTimeoutMs: 2000 }) },
      });
      const s = await subject('acme');
      // Eight megabytes of CV text: read at once, but parsing it takes many seconds.
      const line = `${CV_LINES.join(' · ')} · Loan Officer at Faulu Microfinance Bank from 2019 to 2021\n`;
      const big = Buffer.from(line.repeat(Math.ceil((8 * 1024 * 1024) / line.length)));
      const id = (await s.upload(big, 'text/plain', 'big.txt')).json().id;
      const good = (await s.upload(Buffer.from(CV_LINES.join('\n')), 'text/plain', 'cv.txt')).json().id;
      let d = (await s.doc(id)).json();
      for (let i = 0; i < 600 && d.status === 'queued'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        // The server answers while the document is being read.
        expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
        d = (await s.doc(id)).json();
      }
      expect(d).toMatchObject({
        status: 'failed',
        failure: 'reading the document took longer than 2 s',
        extraction: null,
      });
      await t.ctx.queue.drain();
      const g = (await s.doc(good)).json();
      expect(g.status, g.failure).toBe('parsed');
    });

    it('fails a document whose reading fails on every attempt, instead of leaving it queued', async () => {
      t = await app();
      const s = await subject('acme');
      const read = vi
        .spyOn(t.ctx.connectors.documents, 'read')
        .mockRejectedValue(new Error('reader crashed'));
      const id = (await s.upload(Buffer.from(CV_LINES.join('\n')), 'text/plain', 'cv.txt')).json().id;
      let d = (await s.doc(id)).json();
      // Three attempts, the retries after a backoff of up to 1 and 2 s.
      for (let i = 0; i < 200 && d.status === 'queued'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        t.ctx.queue.wake();
        d = (await s.doc(id)).json();
      }
      expect(read).toHaveBeenCalledTimes(3);
      expect(d).toMatchObject({
        status: 'failed',
        failure: 'the document could not be read: reading it failed on every attempt',
        extraction: null,
      });
    });

    it('refuses an upload over the size limit with 413, and needs a file type it reads', async () => {
      t = await app(4096);
      const s = await subject('acme');
      const big = await s.upload(Buffer.alloc(5000, 0x41), 'text/plain', 'big.txt');
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({
        code: 'CREDENCE_PAYLOAD_TOO_LARGE',
        detail: 'the document is larger than the 4096 bytes allowed (CREDENCE_DOCUMENT_MAX_BYTES)',
      });
      const json = await t.app.inject({
        method: 'POST',
        url: `/api/v1/subjects/${s.user.subjectId}/data/documents`,
        headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
        payload: { a: 1 },
      });
      expect(json.statusCode).toBe(415);
      // A type no reader takes is told which are read, not to send JSON.
      const word = await s.upload(Buffer.from('x'), 'application/msword', 'cv.doc');
      expect(word.statusCode).toBe(415);
      expect(word.json().detail).toBe(json.json().detail);
      expect(word.json().detail).toMatch(/^send the file as application\/pdf/);
      // A file labelled JSON is no JSON: still the type is what is wrong.
      const labelled = await s.upload(await pdf(['Amina']), 'application/json', 'cv.pdf');
      expect(labelled.statusCode).toBe(415);
      expect(labelled.json().detail).toBe(json.json().detail);
      // A JSON body over 1 MiB on another data route is told the JSON limit, not the documents'.
      const social = await t.app.inject({
        method: 'POST',
        url: `/api/v1/subjects/${s.user.subjectId}/data/social/linkedin`,
        headers: { authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ token_valid: true, about: 'x'.repeat(1_100_000) }),
      });
      expect(social.statusCode).toBe(413);
      expect(social.json().detail).not.toContain('document');
      expect(social.json().detail).toContain('1 MiB');
    });

    it('takes pushed network and IP data through the native API, and counts it in the next score', async () => {
      t = await app();
      const s = await subject('acme');
      const post = (path: string, payload: object, key = s.key) =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/subjects/${s.user.subjectId}/data/${path}`,
          headers: { authorization: `Bearer ${key}` },
          payload,
        });
      const social = await post('social/paypal', { token_valid: true, emails: ['a@x.com'], verified: true });
      expect(social.statusCode).toBe(201);
      expect((await post('social/myspace', {})).statusCode).toBe(400);
      // Only the documents route reads files: a profile or an address sent as one is refused as any
      // non-JSON body is, and nothing is stored.
      for (const [path, type] of [
        ['social/paypal', 'text/plain'],
        ['social/paypal', 'application/octet-stream'],
        ['ip-address', 'text/plain'],
      ] as const) {
        const raw = await t.app.inject({
          method: 'POST',
          url: `/api/v1/subjects/${s.user.subjectId}/data/${path}`,
          headers: { authorization: `Bearer ${s.key}`, 'content-type': type },
          payload: '{"token_valid":false,"ip":"41.90.64.10"}',
        });
        expect(raw.statusCode, `${path} as ${type}`).toBe(415);
        expect(raw.json().code).toBe('CREDENCE_UNSUPPORTED_MEDIA_TYPE');
      }
      const stored = await t.app.inject({
        url: `/api/v1/subjects/${s.user.subjectId}/data`,
        headers: { authorization: `Bearer ${s.key}` },
      });
      expect(JSON.stringify(stored.json())).not.toContain('Buffer');
      // Spaces around the address are not part of it.
      const spaced = await post('ip-address', { ip: ' 41.90.64.10 ' });
      expect(spaced.json().ip_address).toMatchObject({ ip: '41.90.64.10', valid_public_address: true });
      // A misspelt field is refused, not dropped: the device would be lost without a word.
      const typo = await post('ip-address', { ip: '41.90.64.10', useragent: { os: 'Android 13' } });
      expect(typo.statusCode).toBe(400);
      expect(typo.json()).toMatchObject({ field: 'useragent' });
      const ip = await post('ip-address', {
        ip: '192.0.2.7',
        user_agent: { os: 'Android 13', mobile: true },
      });
      expect(ip.statusCode).toBe(201);
      expect(ip.json()).toMatchObject({
        ip_address: { range: 'reserved', valid_public_address: false },
        device: { os: 'Android 13', mobile: true, source: 'claimed' },
      });
      const readOnly = await t.key('acme', ['subjects:read']);
      expect((await post('social/paypal', {}, readOnly)).statusCode).toBe(403);
      expect((await s.c.call('GET', '/api/v2/users/partner-id/p1/paypal-data.json')).json()).toEqual({
        token_valid: true,
        emails: ['a@x.com'],
        verified: true,
      });
      // A bare Twitter user id links nothing the connectors can confirm: only the pushed data counts.
      await s.c.call(
        'POST',
        '/api/v2/users/partner-id/p1/calculate_score.json',
        calculateBody({ access_tokens: { twitter_user_id: '1' }, user_ip: '192.0.2.7' }),
      );
      await t.ctx.queue.drain();
      const show = (await s.c.call('GET', '/api/v2/users/partner-id/p1/show.json')).json();
      expect(show.friendlyscore).toEqual(expect.any(Number));
      expect(show.notices.ip_address_notice).toBe('Bad IPv4 address format or reserved IP address provided!');
    });

    it("never shows one tenant's documents to another", async () => {
      t = await app();
      const a = await subject('acme');
      const id = (await a.upload(Buffer.from(CV_LINES.join('\n')), 'text/plain', 'cv.txt')).json().id;
      const { key } = await t.tenantWithKey('other');
      for (const url of [
        `/api/v1/subjects/${a.user.subjectId}/data/documents/${id}`,
        `/api/v1/subjects/${a.user.subjectId}/data`,
      ]) {
        const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
        expect(res.statusCode, url).toBe(404);
      }
      const push = await t.app.inject({
        method: 'POST',
        url: `/api/v1/subjects/${a.user.subjectId}/data/documents`,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
        payload: 'x',
      });
      expect(push.statusCode).toBe(404);
    });

    it('answers an id holding a NUL character with a 400, not a failure on PostgreSQL', async () => {
      t = await app();
      const a = await subject('acme');
      const s = a.user.subjectId;
      for (const [method, url] of [
        ['GET', '/api/v1/subjects/%00/data'],
        ['GET', `/api/v1/subjects/${s}/data/documents/doc%00`],
        ['POST', '/api/v1/subjects/%00/data/ip-address'],
      ] as const) {
        const res = await t.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${a.key}` },
          ...(method === 'POST' ? { payload: { ip: '41.90.64.10' } } : {}),
        });
        expect(res.statusCode, url).toBe(400);
        expect(res.json().detail, url).toMatch(/holds the NUL character/);
      }
    });

    it('downloads CVs from Gmail with the Google token, refusing a 50 MB attachment unread', async () => {
      t = await app();
      fake.attachments.length = 0;
      fake.attachments.push(
        { filename: 'CV-2024.pdf', mimeType: 'application/pdf', data: await pdf(CV_LINES) },
        { filename: 'scan.pdf', mimeType: 'application/pdf', data: Buffer.alloc(50 * 1024 * 1024, 0x25) },
        {
          filename: 'old-cv.docx',
          mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          data: docxZipBomb(),
        },
      );
      const c = await fsClient(t, 'acme');
      await c.call(
        'POST',
        '/api/v2/users/partner-id/g1/calculate_score.json',
        calculateBody({ access_tokens: { google: 'good' } }),
      );
      await t.ctx.queue.drain(30_000);
      const user = await t.ctx.friendlyscore.users.get(c.tenantId, { type: 'partner-id', value: 'g1' });
      const latest = await t.ctx.dataRecords.latest(c.tenantId, user.subjectId);
      expect(latest.get('connector.gmail')?.data).toEqual({ status: 'ok', documents: 2, already_read: 0 });
      expect(fake.requests).not.toContain('GET /gmail/gmail/v1/users/me/messages/m1/attachments/att1');
      expect(
        (await c.call('GET', '/api/v2/users/partner-id/g1/google/raw-file-data/emails.json')).json(),
      ).toEqual(['wanjiru.kamau@example.com']);
      const docs = await t.ctx.database.db
        .selectFrom('documents')
        .select(['status', 'failure', 'size'])
        .where('subject_id', '=', user.subjectId)
        .orderBy('external_id')
        .execute();
      expect(docs).toEqual([
        { status: 'parsed', failure: null, size: expect.any(Number) },
        {
          status: 'failed',
          failure: 'the document is 52428800 bytes, more than the 10485760 allowed',
          size: 52428800,
        },
        { status: 'failed', failure: expect.stringContaining('zip bomb'), size: expect.any(Number) },
      ]);
      // The CV counts in the score: work history and consistent email are known now.
      expect((await c.call('GET', '/api/v2/get_score.json?partner_user_id=g1')).statusCode).toBe(200);
      // A second calculation finds the same attachments: none is downloaded again.
      const downloads = () => fake.requests.filter((r) => r.includes('/attachments/')).length;
      const before = downloads();
      await c.call(
        'POST',
        '/api/v2/users/partner-id/g1/calculate_score.json',
        calculateBody({ access_tokens: { google: 'good' } }),
      );
      await t.ctx.queue.drain(30_000);
      expect(downloads()).toBe(before);
      const again = await t.ctx.dataRecords.latest(c.tenantId, user.subjectId);
      expect(again.get('connector.gmail')?.data).toEqual({ status: 'ok', documents: 0, already_read: 3 });
      // Erasing the user erases their documents and sightings.
      expect((await c.call('DELETE', '/api/v2/users/partner-id/g1/delete.json')).statusCode).toBe(200);
      for (const table of ['documents', 'sightings'] as const) {
        const left = await t.ctx.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('subject_id', '=', user.subjectId)
          .executeTakeFirst();
        expect(Number(left?.n), table).toBe(0);
      }
    });
  });
}
