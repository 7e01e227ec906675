/**
 * Go's base64.StdEncoding.DecodeString as a check: encoding/json decodes a []byte field with it, and
 * a bad value fails the whole decode with its error ("illegal base64 data at input byte N", N where
 * Go's decoder gives up). CR and LF are skipped; padding is required; trailing bits may be set.
 */
const ALPHABET = /[A-Za-z0-9+/]/;
const isNewline = (c: string | undefined) => c === '\n' || c === '\r';

/** The decode error Go reports for `s`, or undefined when `s` is valid standard base64. */
export function goBase64Error(s: string): string | undefined {
  const at = (n: number) => `illegal base64 data at input byte ${n}`;
  let i = 0;
  for (;;) {
    // One quantum: up to four symbols, newlines between them skipped.
    let j = 0;
    while (j < 4) {
      if (i === s.length) {
        if (j === 0) return undefined;
        return at(i - j);
      }
      const c = s[i++];
      if (ALPHABET.test(c)) {
        j++;
        continue;
      }
      if (isNewline(c)) continue;
      if (c !== '=' || j < 2) return at(i - 1);
      if (j === 2) {
        // "==" is due: the first is read, the second must follow (after newlines).
        while (i < s.length && isNewline(s[i])) i++;
        if (i === s.length) return at(s.length);
        if (s[i] !== '=') return at(i - 1);
        i++;
      }
      while (i < s.length && isNewline(s[i])) i++;
      return i < s.length ? at(i) : undefined;
    }
  }
}
