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
