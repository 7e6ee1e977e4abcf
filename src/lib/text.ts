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

const DIGIT = /^\p{Nd}$/u;

/**
 * `text` with every decimal digit of another script written as an ASCII digit: Thai `๓`, Bengali
 * `৩` and Devanagari `३` are `3`. Unicode encodes each script's digits 0 to 9 in order, and where
 * two scripts' digits touch, each run still starts at a zero, so a digit's value is its distance
 * from the start of its run, modulo 10.
 */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    if (cp <= 0x39) return d;
    let start = cp;
    while (DIGIT.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });
}

/** `text` with the full-width forms of ASCII characters (`Ｂ`, `３`, `－`) written as ASCII. */
export function halfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}
