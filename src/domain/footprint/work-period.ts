/**
 * The times a work period covers. A CV gives months (`2022-12`: a year alone is already January
 * to December) and a network may give days; either way the end is inclusive: a job "to December
 * 2022" was held through December, so its period ends where January 2023 begins.
 */
import { utcDay } from '../iso-date.js';

const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** When the period began (epoch ms), NaN when it does not say. */
export const periodStart = (from: string | undefined): number => Date.parse(from ?? '');

/** The first moment after the period (epoch ms); +Infinity for an open period. */
export function periodEnd(to: string | null | undefined): number {
  if (!to) return Number.POSITIVE_INFINITY;
  const month = MONTH.exec(to);
  if (month) return utcDay(Number(month[1]), Number(month[2]), 1);
  const day = DAY.exec(to);
  if (day) return utcDay(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + 1);
  return Date.parse(to);
}
