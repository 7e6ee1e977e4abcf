/**
 * Dates as requests write them: `YYYY-MM-DD` or an ISO 8601 date-time, checked to be a calendar
 * date (Date.parse alone reads "12" as 2001-12-01 and 2024-02-30 as 1 March), and day arithmetic
 * that keeps the years 0 to 99 (Date.UTC reads them as 1900 to 1999).
 */
import { invalidInput } from './errors.js';

// RFC 3339 allows `t` and `z` in lower case, as JSON Schema's `date-time` format does.
const DATE_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Parses `YYYY-MM-DD` or an ISO date-time (UTC when it carries no offset) to epoch ms. */
export function parseIsoDate(text: string, field: string): number {
  const m = DATE_TEXT.exec(text.trim());
  if (!m) throw invalidInput(field, `${field} must be a date as YYYY-MM-DD or an ISO 8601 date-time`);
  const [, y, mo, d, h, mi, s, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) {
    throw invalidInput(field, `${field} is not a calendar date: ${text}`);
  }
  if (Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) {
    throw invalidInput(field, `${field} has an invalid time: ${text}`);
  }
  const iso = `${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}${normaliseZone(zone)}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw invalidInput(field, `${field} is not a valid date: ${text}`);
  // Keep sub-second precision when given, to the millisecond: cut, not rounded, so that a time
  // still in one second (or day) never becomes the next.
  const fraction = /\.(\d+)/.exec(text);
  return fraction ? ms + Number(fraction[1]!.slice(0, 3).padEnd(3, '0')) : ms;
}

/**
 * Parses a date that names a calendar day: `YYYY-MM-DD`, or a date-time whose date part is the day
 * as written, whatever its time or offset (`2024-01-01T00:30:00+03:00` is 1 January, though it
 * is 31 December in UTC). Returns midnight UTC of that day, in ms.
 */
export function parseIsoDay(text: string, field: string): number {
  parseIsoDate(text, field);
  const [year, month, day] = text.trim().slice(0, 10).split('-').map(Number);
  return utcDay(year!, month! - 1, day!);
}

function normaliseZone(zone: string | undefined): string {
  if (!zone || zone === 'Z' || zone === 'z') return 'Z';
  return zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
}

/** Midnight UTC of a day, in ms. Unlike Date.UTC, years 0 to 99 are those years, not 1900 to 1999. */
export function utcDay(year: number, monthIndex: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}

export function daysInMonth(year: number, monthIndex: number): number {
  return new Date(utcDay(year, monthIndex + 1, 0)).getUTCDate();
}
