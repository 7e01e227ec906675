/**
 * Go's strconv.Quote, which fmt's %q applies to a string: a double-quoted literal that keeps
 * printable characters (letters, marks, numbers, punctuation, symbols and the ASCII space) as they
 * are and escapes the rest. JSON.stringify agrees for ordinary text but not for control characters
 * (\x01 against \u0001), DEL, or non-printing characters such as U+00A0 and U+2028.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** Text Go and JSON quote alike with nothing escaped: printable ASCII but for `"` and `\`. */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const hex = (code: number, width: number): string => code.toString(16).padStart(width, '0');

function quoteChar(ch: string): string {
  const short = SHORT_ESCAPES[ch];
  if (short !== undefined) return short;
  if (PRINTABLE.test(ch)) return ch;
  const code = ch.codePointAt(0) ?? 0;
  // A lone surrogate is not valid UTF-8; Go's JSON decoder has already made it U+FFFD, which prints.
  if (code >= 0xd800 && code <= 0xdfff) return '\ufffd';
  if (code < 0x20 || code === 0x7f) return `\\x${hex(code, 2)}`;
  if (code < 0x10000) return `\\u${hex(code, 4)}`;
  return `\\U${hex(code, 8)}`;
}

/** fmt.Sprintf("%q", s). */
export function goQuote(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) out += quoteChar(ch);
  return `${out}"`;
}
