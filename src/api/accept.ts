/**
 * Whether a request's `Accept` admits one of the media types an API answers in. The header is read
 * by RFC 9110 §12.5.1 (`negotiator`): wildcards, lists and q-values, where q=0 means "not
 * acceptable" and the most specific range decides. No header, or an empty one, admits anything.
 */
import Negotiator from 'negotiator';

export function admitsAny(accept: string | undefined, answered: string[]): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return new Negotiator({ headers: { accept } }).mediaTypes(answered).length > 0;
}
