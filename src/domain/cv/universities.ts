/**
 * Universities and colleges (docs/cv-parser.md#universities): names built on a keyword
 * ("University", "Universidad", "Université", "Universidade", "Chuo Kikuu", "Polytechnic",
 * "Institute of Technology", "College", "École") with the capitalised words around it, as in
 * "University of Nairobi", "Strathmore University", "Universidad de los Andes", "Université
 * Paris-Saclay"; and a list of names known without a keyword (MIT, ETH Zürich, INSEAD...).
 */
const CAP = "[\\p{Lu}][\\p{L}'’.&-]*";
const JOIN = "(?:of|the|de|del|la|las|los|du|des|di|da|do|for|and|&|el|ya|wa|cha|es|d'|l')";
const KEYWORD =
  '(?:University|Universidad|Université|Universidade|Università|Universiteit|Universität|Chuo Kikuu|Polytechnic|Institute|Institut|Instituto|College|École|Escuela|Academy|School(?=\\s+of\\s))';

/** Up to three capitalised words, the keyword, then capitalised words with the joiners between them. */
const PATTERN = new RegExp(
  `(?:${CAP}[ \\t]+){0,3}${KEYWORD}(?![\\p{L}])(?:[ \\t]+(?:${JOIN}[ \\t]+){0,2}${CAP}){0,5}`,
  'gu',
);

export const KNOWN_UNIVERSITIES = [
  'MIT',
  'ETH Zürich',
  'INSEAD',
  'HEC Paris',
  'Sciences Po',
  'UNAM',
  'KNUST',
  'UCL',
  'LSE',
  'JKUAT',
] as const;

const KNOWN = new RegExp(`(?<![\\p{L}])(?:${KNOWN_UNIVERSITIES.join('|')})(?![\\p{L}])`, 'gu');

/** Words that start a line's label rather than a name ("Education: University of X"). */
const LEADING =
  /^(?:Education|Educación|Formation|Elimu|Degree|BSc|BA|MSc|MBA|PhD|Diploma|Licence|Master|Bachelor|Licenciatura|Grado|Studied|At|In|From|The)\s+/u;

export function findUniversities(text: string): string[] {
  const found = new Map<string, string>();
  const add = (name: string) => {
    let n = name.trim().replace(/[\s,.;:]+$/u, '');
    while (LEADING.test(n)) n = n.replace(LEADING, '');
    if (!/\s|-/.test(n) && !KNOWN_UNIVERSITIES.includes(n as never)) return;
    const key = n.toLowerCase();
    if (!found.has(key)) found.set(key, n);
  };
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(PATTERN)) add(m[0]);
    for (const m of line.matchAll(KNOWN)) add(m[0]);
  }
  return [...found.values()];
}
