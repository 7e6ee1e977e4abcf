/**
 * Work periods (docs/cv-parser.md#work-periods): a date range on a line ("Jan 2018 – Present",
 * "03/2015 to 06/2018", "2016 - 2019", "enero 2017 - actualidad", "depuis 2019") with the
 * employer and title written around it: on the same line ("Analyst, Safaricom", "Safaricom |
 * Analyst", "Analyst at Safaricom", "Analista en Banco X", "Comptable chez Y") or, when the range
 * stands alone, on the line before. Which part is the title is told by a list of job words.
 * Months come out as YYYY-MM; a year alone runs from its January to its December; "present" (and
 * its translations) leaves `to` null.
 */
export interface FoundWorkPeriod {
  employer: string | null;
  title: string | null;
  from: string;
  to: string | null;
}

const MONTHS: Record<string, number> = {};
const monthNames = [
  ['jan', 'january', 'ene', 'enero', 'janv', 'janvier', 'januari'],
  ['feb', 'february', 'febrero', 'fév', 'févr', 'février', 'februari'],
  ['mar', 'march', 'marzo', 'mars', 'machi'],
  ['apr', 'april', 'abr', 'abril', 'avr', 'avril', 'aprili'],
  ['may', 'mayo', 'mai', 'mei'],
  ['jun', 'june', 'junio', 'juin', 'juni'],
  ['jul', 'july', 'julio', 'juil', 'juillet', 'julai'],
  ['aug', 'august', 'ago', 'agosto', 'août', 'agosti'],
  ['sep', 'sept', 'september', 'septiembre', 'septembre', 'septemba'],
  ['oct', 'october', 'octubre', 'octobre', 'oktoba'],
  ['nov', 'november', 'noviembre', 'novembre', 'novemba'],
  ['dec', 'december', 'dic', 'diciembre', 'déc', 'décembre', 'desemba'],
];
monthNames.forEach((names, i) => {
  for (const n of names) MONTHS[n] = i + 1;
});

const MONTH = `(?:${Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|')})\\.?`;
// Whole numbers only: "13/2015" holds no month (not March 2015), "20155" no year.
// A month name is a whole word: "Santiago 2015" holds "ago" (agosto) but no month.
const DATE = `(?<![\\p{L}\\d])(?:${MONTH}\\s+(?:de\\s+)?(?:19|20)\\d{2}|(?:0?[1-9]|1[0-2])[/.](?:19|20)\\d{2}|(?:19|20)\\d{2}-(?:0[1-9]|1[0-2])|(?:19|20)\\d{2})(?!\\d)`;
/** Words for an open end, each a whole word ("Currently on leave" is none); "date" only in "to date". */
const PRESENT_WORDS =
  "present|current|now|today|actualidad|actual|presente|la fecha|hoy|présent|aujourd['’]hui|ce jour|en cours|hadi sasa|sasa";
const PRESENT = `(?:(?:${PRESENT_WORDS})|(?<=(?:to|till|until)\\s+)date)(?![\\p{L}])`;
const IS_PRESENT = new RegExp(`^(?:${PRESENT_WORDS}|date)$`, 'iu');
// A word between the dates is a whole word too ("2015 - Date of expiry" has none).
const SEP = '(?:\\s*[–—-]\\s*|\\s+(?:to|until|till|hasta|à|au|a|hadi)\\s+)';
const RANGE = new RegExp(
  `(?:(?:since|desde|depuis)\\s+(${DATE}))|(?:(${DATE})${SEP}(${DATE}|${PRESENT}))`,
  'iu',
);

const TITLE_WORDS =
  /(?<![\p{L}])(?:analyst|officer|manager|engineer|developer|programmer|teacher|lecturer|nurse|accountant|assistant|director|consultant|intern|clerk|driver|agent|cashier|supervisor|coordinator|administrator|designer|technician|specialist|representative|executive|associate|auditor|economist|head|lead|trainee|volunteer|teller|secretary|receptionist|founder|ceo|cto|cfo|analista|gerente|ingeniero|ingeniera|profesor|profesora|contador|contadora|asistente|director|directora|coordinador|coordinadora|desarrollador|desarrolladora|jefe|vendedor|vendedora|enfermera|enfermero|cajero|cajera|responsable|chargé|chargée|ingénieur|ingénieure|comptable|enseignant|enseignante|conseiller|conseillère|développeur|développeuse|chef|stagiaire|infirmière|infirmier|caissier|caissière|mhasibu|mwalimu|afisa|meneja|muuguzi|dereva|karani|mhandisi|asesor|asesora|diseñador|diseñadora|analyste|consultor|consultora|técnico|técnica|technicien|technicienne|gestionnaire|fundador|fundadora)(?![\p{L}])/iu;

function monthOf(text: string, end: boolean): string | null {
  const t = text.trim().toLowerCase().replace(/\.$/, '');
  let m = /^(\d{1,2})[/.](\d{4})$/.exec(t);
  if (m) return `${m[2]}-${m[1]!.padStart(2, '0')}`;
  m = /^(\d{4})-(\d{2})$/.exec(t);
  if (m) return `${m[1]}-${m[2]}`;
  m = /^(\d{4})$/.exec(t);
  if (m) return `${m[1]}-${end ? '12' : '01'}`;
  m = /^([\p{L}]+)\.?\s+(?:de\s+)?(\d{4})$/u.exec(t);
  if (m && MONTHS[m[1]!]) return `${m[2]}-${String(MONTHS[m[1]!]).padStart(2, '0')}`;
  return null;
}

const clean = (s: string) =>
  s
    .replace(/^[\s,|•·:;()[\]–—-]+|[\s,|•·:;()[\]–—-]+$/gu, '')
    .replace(/\s{2,}/g, ' ')
    .trim();

function roles(text: string): { employer: string | null; title: string | null } {
  const t = clean(text);
  if (t === '') return { employer: null, title: null };
  const at = /^(.+?)\s+(?:at|@|en|chez|katika|with)\s+(.+)$/iu.exec(t);
  if (at && TITLE_WORDS.test(at[1]!)) return { title: clean(at[1]!), employer: clean(at[2]!) };
  const parts = t
    .split(/\s*(?:,|\||—|–|·|•|\s-\s)\s*/u)
    .map(clean)
    .filter((p) => p !== '');
  if (parts.length === 1) {
    return TITLE_WORDS.test(parts[0]!)
      ? { title: parts[0]!, employer: null }
      : { employer: parts[0]!, title: null };
  }
  const ti = parts.findIndex((p) => TITLE_WORDS.test(p));
  if (ti < 0) return { employer: parts[0]!, title: parts[1]! };
  const employer = parts.find((_, i) => i !== ti) ?? null;
  return { title: parts[ti]!, employer };
}

/** Section headings: dates under an education heading are studies, not work. */
const EDUCATION_HEADING =
  /^\W*(?:education|academic|qualifications|educación|formación|estudios|formation|études|elimu)\b[\p{L} &]*:?\W*$/iu;
/**
 * Any other section heading ends an education section: a short line of words, without digits or
 * commas, with a section word anywhere in it ("Experience", "Relevant Experience", "Internships",
 * "Volunteering", "Projects", "Skills"...). A line about studies is none.
 */
const OTHER_HEADING =
  /^[\p{L} &/'’-]*(?<![\p{L}])(?:experiences?|work|employment|career|professional|internships?|volunteer|volunteering|projects?|history|skills|languages|references|interests|achievements|awards|publications|activities|profile|summary|experiencia|empleo|prácticas|voluntariado|proyectos|habilidades|idiomas|referencias|expérience|expériences|parcours|stages?|bénévolat|projets|compétences|langues|uzoefu|kazi|ujuzi)(?![\p{L}])[\p{L} &/'’-]*:?\s*$/iu;
/** A line about studies, wherever it stands. */
const STUDIES =
  /\b(?:university|universidad|université|universidade|college|school|bsc|b\.sc|msc|m\.sc|mba|phd|diploma|degree|bachelor|master|licenciatura|licence|certificate|kcse|secondary|baccalauréat|grado|bachillerato)\b/iu;

export function findWorkPeriods(text: string): FoundWorkPeriod[] {
  const lines = text.split('\n');
  const out: FoundWorkPeriod[] = [];
  const seen = new Set<string>();
  let education = false;
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed.length < 40 && EDUCATION_HEADING.test(line)) education = true;
    else if (trimmed.length < 40 && OTHER_HEADING.test(trimmed) && !STUDIES.test(line)) education = false;
    const m = RANGE.exec(line);
    if (!m || education) return;
    const from = monthOf(m[1] ?? m[2]!, false);
    const toText = m[1] ? null : m[3]!;
    const open = toText === null || IS_PRESENT.test(toText.trim());
    const to = open ? null : monthOf(toText, true);
    if (!from || (!open && to === null)) return;
    if (to !== null && to < from) return;
    let rest = clean(line.replace(m[0], ' '));
    if (rest === '' && i > 0) {
      let j = i - 1;
      while (j >= 0 && lines[j]!.trim() === '') j--;
      if (j >= 0 && !RANGE.test(lines[j]!)) rest = lines[j]!;
    }
    if (STUDIES.test(rest) && !TITLE_WORDS.test(rest)) return;
    const r = roles(rest);
    const key = `${from}|${to}|${r.employer ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ employer: r.employer, title: r.title, from, to });
  });
  return out;
}
