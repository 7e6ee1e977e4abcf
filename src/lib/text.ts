/** `text` without the byte-order mark that some editors (Notepad, Excel) put before UTF-8 text. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * How many characters `text` holds, as a person counts them: a character outside the Basic
 * Multilingual Plane (an emoji, a rare CJK ideograph) is one, where `length` counts it twice.
 */
export function characterCount(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

/** The C0 control characters and DEL, as a character class's contents. */
const CONTROL_CLASS = '\\u0000-\\u001f\\u007f';
/** Finds a control character (a tab, a line break, a NUL): no name or identifier a person types holds one. */
export const CONTROL_CHARACTER = new RegExp(`[${CONTROL_CLASS}]`);
/** The same rule as a JSON Schema `pattern`: text holding no control character. */
export const NO_CONTROL_CHARACTERS = `^[^${CONTROL_CLASS}]*$`;
