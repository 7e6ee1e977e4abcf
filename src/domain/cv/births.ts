/**
 * Dates of birth: a date is one only where a label says so ("Date of birth", "DOB", "Born",
 * "Fecha de nacimiento", "Date de naissance", "Né le", "Tarehe ya kuzaliwa"...). The text after
 * the label is read with chrono-node, day first (en-GB) for numeric dates, then in Spanish and
 * French; a year alone is not a date of birth. Dates come out as YYYY-MM-DD.
 */
import * as chrono from 'chrono-node';

// A label is whole words: "terminée le" holds no "née le", "Adobe" no "dob".
const LABEL =
  /(?<![\p{L}])(?:date\s+of\s+birth|birth\s*date|d\.?\s?o\.?\s?b\.?|born(?:\s+on)?|fecha\s+de\s+nacimiento|f\.\s*nacimiento|nacid[oa]\s+el|date\s+de\s+naissance|n[ée]e?\s+le|tarehe\s+ya\s+kuzaliwa|alizaliwa)\s*[:\-–]?\s*([^\n]{0,48})/giu;

const PARSERS = [chrono.en.GB, chrono.es, chrono.fr];

const iso = (d: { get(c: 'year' | 'month' | 'day'): number | null }) =>
  `${String(d.get('year')).padStart(4, '0')}-${String(d.get('month')).padStart(2, '0')}-${String(d.get('day')).padStart(2, '0')}`;

/** The day ten years before `now` (UTC), as YYYY-MM-DD: a later birth date is no adult's. */
const tenYearsBefore = (now: Date) =>
  `${String(now.getUTCFullYear() - 10).padStart(4, '0')}${now.toISOString().slice(4, 10)}`;

export function findBirthDates(text: string, now = new Date()): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(LABEL)) {
    const fragment = (m[1] ?? '').replace(/(\d)(st|nd|rd|th)\b/g, '$1');
    for (const parser of PARSERS) {
      const r = parser.parse(fragment, now)[0];
      if (!r || r.index > 3) continue;
      const s = r.start;
      if (!s.isCertain('year') || !s.isCertain('month') || !s.isCertain('day')) continue;
      const date = iso(s);
      if (s.get('year')! < 1900 || date > tenYearsBefore(now)) continue;
      found.add(date);
      break;
    }
  }
  return [...found];
}
