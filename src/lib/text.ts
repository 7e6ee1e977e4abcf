/** `text` without the byte-order mark that some editors (Notepad, Excel) put before UTF-8 text. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
