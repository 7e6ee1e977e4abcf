/** Text as a literal inside a regular expression. */
export const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A literal in which a straight and a curly apostrophe stand for each other (`d'équipe`, `d’Ivoire`). */
export const wordsLiteral = (s: string) => literal(s).replace(/['’]/g, "['’]");
