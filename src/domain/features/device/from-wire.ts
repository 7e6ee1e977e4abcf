/** Parses a synced batch's SMS into facts; a batch is the only source of raw message text. */
import { parseSms } from '../sms/parse.js';
import type { SmsFact } from './types.js';

export function smsFacts(
  messages: readonly { sender: string; body: string; timestamp: number }[],
): SmsFact[] {
  return messages.map((m) => ({ time: m.timestamp, sender: m.sender, parsed: parseSms(m.body) }));
}
