/**
 * The web console at /console: a single-page app built by Vite into dist/console (docs/console.md)
 * and served here, so there is no second server. It talks to /api/v1/admin with an admin key.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { PACKAGE_ROOT } from '../context.js';

export const CONSOLE_DIR = path.join(PACKAGE_ROOT, 'dist', 'console');

/**
 * The console handles an admin key: its pages load only what the build itself serves, may not be
 * framed by another site (clickjacking), and send no referrer.
 */
export const CONSOLE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export const consoleRoutes: FastifyPluginAsync = async (app) => {
  // This plugin is encapsulated: the headers go on the console's answers alone.
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(CONSOLE_HEADERS);
  });
  if (!fs.existsSync(path.join(CONSOLE_DIR, 'index.html'))) {
    // A checkout installed with --ignore-scripts has no build: say how to make one.
    app.get('/console', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built. Run `npm run build:console` (npm install does it) and restart.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: CONSOLE_DIR,
    prefix: '/console/',
    index: 'index.html',
    // The app is one page with hash routes; its assets have content hashes in their names, so a
    // browser keeps them for good, while index.html, which names them, is asked for again.
    schemaHide: true,
    cacheControl: false,
    setHeaders: (res, file) => {
      const hashed = file.startsWith(path.join(CONSOLE_DIR, 'assets') + path.sep);
      res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=0');
    },
  });
  app.get('/console', { schema: { hide: true } }, async (_req, reply) => reply.sendFile('index.html'));
};
