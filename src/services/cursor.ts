import { type CredenceError, invalidInput } from '../domain/errors.js';

/**
 * A page's `after` that is well formed but no page of the list gave: another tenant's id, another
 * list's, or a made-up one. Read as the start or the end of the list, it would answer a wrong page
 * without a word, so it is refused as the request's schema refuses a malformed one.
 */
export const unknownCursor = (): CredenceError =>
  invalidInput('after', 'after must be the next_cursor of a previous page');
