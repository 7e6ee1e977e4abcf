/**
 * The logger's options, for the server and every command that logs: personal data and
 * credentials are masked in every line (log-redaction.ts).
 */
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import { redactLogObject, redactText } from './log-redaction.js';
import { redactUrl } from './request-id.js';

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '***',
    },
    // Personal data and credentials are masked in every line (src/api/log-redaction.ts).
    formatters: { log: redactLogObject },
    hooks: {
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? redactText(a) : a)),
        );
      },
    },
    serializers: {
      // Query strings can carry credentials and identifiers: log their keys, never their values.
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        id: req.id,
      }),
    },
  };
}
