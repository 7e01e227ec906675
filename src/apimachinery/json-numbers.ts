/**
 * The number tokens of a JSON text that JSON.parse cannot give back as written, by where they sit.
 *
 * Go's decoder (encoding/json, and sigs.k8s.io/json's fork that kube-apiserver uses) reads a number
 * from its text: an int field takes only a token strconv.ParseInt reads (no `.`, no exponent, in
 * range), a float64 field refuses a token past its range, interface{} gets an int64 for a token
 * without `.` that fits one (PreserveInts) and a float64 otherwise, and every such error quotes
 * the token as written (`json: cannot unmarshal number 80.0 into Go struct field … of type int32`).
 * JSON.parse keeps only the value (80.0 and 1e2 are integers; 1e999999 is Infinity), which is
 * exact for a token of at most 15 digits with neither a point nor an exponent: the common case,
 * found by one cheap pass over the bytes outside strings. Only a text holding some other number is
 * walked with paths, and only those numbers are kept.
 */
import { parsePointer } from './json-patch.js';

/** Token text by location (numberPointer); in document order. Empty texts have none. */
export type NumberTokens = ReadonlyMap<string, string>;

/** One step into a value: an object key, or a list index (as prune's path segments carry it). */
export type NumberPathStep = string | { readonly index: number };

const escapeKey = (key: string) => (key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key);

/** The key of a location in NumberTokens: a JSON pointer (`/spec/containers/0/ports/0/containerPort`). */
export function numberPointer(path: readonly NumberPathStep[]): string {
  let out = '';
  for (const step of path) out += typeof step === 'string' ? `/${escapeKey(step)}` : `/${step.index}`;
  return out;
}

const MAX_EXACT_DIGITS = 15;

/** Whether a number token reads differently in JS than as written: a point, an exponent, or too many digits. */
function isInexact(token: string): boolean {
  const digits = token.charCodeAt(0) === 0x2d ? token.length - 1 : token.length;
  return digits > MAX_EXACT_DIGITS || /[.eE]/.test(token);
}

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function isEscapedQuote(buf: Buffer, at: number): boolean {
  let n = 0;
  while (buf[at - 1 - n] === 0x5c) n++;
  return n % 2 === 1;
}

/** The index of the quote closing the string opened at `open`, or -1. */
function stringEnd(buf: Buffer, open: number): number {
  let end = buf.indexOf(0x22, open + 1);
  while (end > 0 && isEscapedQuote(buf, end)) end = buf.indexOf(0x22, end + 1);
  return end;
}

/**
 * Whether a valid JSON text holds a number token that isInexact: one loop over the bytes, strings
 * stepped through to their closing quote (a plain loop is faster here than indexOf per string).
 */
export function hasInexactNumber(buf: Buffer): boolean {
  const n = buf.length;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === 0x22) {
      for (i++; i < n; i++) {
        const d = buf[i];
        if (d === 0x22) break;
        if (d === 0x5c) i++; // the escaped byte
      }
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (++digits > MAX_EXACT_DIGITS) return true;
    } else {
      // A point or an exponent right after a digit; an `e` after a letter is true / false.
      if (digits > 0 && (c === 0x2e || c === 0x65 || c === 0x45)) return true;
      digits = 0;
    }
  }
  return false;
}

/** A quoted key with escapes; as written when it is not JSON (the callers parse the text first). */
function unquote(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

const isNumberByte = (c: number) => (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;

interface Open {
  array: boolean;
  /** The container's own pointer. */
  at: string;
  index: number;
}

/**
 * Walks a valid JSON text (JSON.parse read it) and keeps the isInexact number tokens by pointer.
 * Iterative, so any depth the decoder admits is walked. A repeated key keeps its first such token
 * (Go's decoder meets it first, and its error is the one it keeps). A text that is not JSON gets
 * some answer, never an exception.
 */
function collect(buf: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const stack: Open[] = [];
  let at = ''; // the pointer of the next value
  let expectKey = false;
  for (let i = 0; i < buf.length;) {
    const c = buf[i];
    if (c === 0x7b || c === 0x5b) {
      const array = c === 0x5b;
      stack.push({ array, at, index: 0 });
      if (array) at = `${at}/0`;
      expectKey = !array;
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
      i++;
    } else if (c === 0x2c) {
      const top = stack.at(-1);
      if (top?.array) at = `${top.at}/${++top.index}`;
      else expectKey = true;
      i++;
    } else if (c === 0x22) {
      const close = stringEnd(buf, i);
      if (close < 0) break; // not JSON: the caller parses it first
      if (expectKey) {
        const raw = buf.toString('utf8', i, close + 1);
        const key = raw.includes('\\') ? unquote(raw) : raw.slice(1, -1);
        at = `${stack.at(-1)?.at ?? ''}/${escapeKey(key)}`;
        expectKey = false;
      }
      i = close + 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < buf.length && isNumberByte(buf[end])) end++;
      const token = buf.toString('latin1', i, end);
      if (isInexact(token) && !out.has(at)) out.set(at, token);
      i = end;
    } else i++;
  }
  return out;
}

/**
 * The tokens of a valid JSON text that JSON.parse does not render as written, by pointer; undefined
 * (the fast path, one pass and no allocation) when it holds none.
 */
export function numberTokens(buf: Buffer): NumberTokens | undefined {
  if (!hasInexactNumber(buf)) return undefined;
  const tokens = collect(buf);
  return tokens.size ? tokens : undefined;
}

const INT_RANGE = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

/** Whether Go's strconv.ParseInt reads the token and it fits the int type (as an int field's decoding asks). */
export function tokenFitsInt(token: string, bits: 'int32' | 'int64'): boolean {
  if (!/^-?\d+$/.test(token)) return false;
  const n = BigInt(token);
  const [min, max] = INT_RANGE[bits];
  return n >= min && n <= max;
}

/** Whether a float64 field (or interface{}) refuses the token: strconv.ParseFloat's range error. */
export function tokenOverflowsFloat(token: string): boolean {
  return !Number.isFinite(Number(token));
}

/** The first token (document order) that no float64 takes: what decoding into interface{} fails on. */
export function firstFloatOverflow(tokens: NumberTokens | undefined, under?: RegExp): string | undefined {
  if (!tokens) return undefined;
  for (const [at, token] of tokens) if (tokenOverflowsFloat(token) && (!under || under.test(at))) return token;
  return undefined;
}

/** Whether `tokens` holds a token at a pointer that `under` matches. */
export function hasTokenUnder(tokens: NumberTokens, under: RegExp): boolean {
  for (const at of tokens.keys()) if (under.test(at)) return true;
  return false;
}

/** Go's error for decoding a number token that overflows float64 into interface{} (no struct field around it). */
export function floatOverflowError(token: string): string {
  return `json: cannot unmarshal number ${token} into Go value of type float64`;
}

/**
 * JSON.stringify, except that a number at a location of `tokens` is written as its token: the text
 * Go's patch libraries carry through a patch (json.RawMessage) and show in their errors.
 */
export function stringifyWithNumbers(value: unknown, tokens: NumberTokens | undefined): string {
  if (!tokens) return JSON.stringify(value);
  const write = (v: unknown, at: string, inArray: boolean): string | undefined => {
    if (typeof v === 'number') return tokens.get(at) ?? JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map((item, i) => write(item, `${at}/${i}`, true) ?? 'null').join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const parts: string[] = [];
      for (const [k, item] of Object.entries(v)) {
        const text = write(item, `${at}/${escapeKey(k)}`, false);
        if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
      }
      return `{${parts.join(',')}}`;
    }
    const text = JSON.stringify(v) as string | undefined;
    return text === undefined && inArray ? 'null' : text;
  };
  return write(value, '', false) ?? 'null';
}

/** Prefix of the string that stands for a number token while a value travels through a JSON patch. */
const MARK = '\u0000kubemock:number:';

/**
 * Replaces, in place, each number of `value` that `tokens` holds under `prefix` (a pointer into
 * `value`) by a marker string carrying its token, so that the number travels through a JSON patch's
 * adds, copies and moves as its text does in Go's patch library (json.RawMessage); equal tokens get
 * equal markers, as Go's `test` compares raw bytes. unmarkNumbers turns the markers back.
 */
export function markNumbers(value: unknown, tokens: NumberTokens, prefix: RegExp): void {
  for (const [at, token] of tokens) {
    if (!prefix.test(at)) continue;
    const steps = parsePointer(at);
    let node = value as Record<string, unknown>;
    for (const step of steps.slice(0, -1)) node = node?.[step] as Record<string, unknown>;
    const last = steps[steps.length - 1];
    if (node && typeof node[last] === 'number') node[last] = `${MARK}${token}`;
  }
}

/** Turns markNumbers' markers in `value` back into numbers, in place; returns their tokens by pointer (undefined when none). */
export function unmarkNumbers(value: unknown): NumberTokens | undefined {
  const found = new Map<string, string>();
  const walk = (node: unknown, at: string): unknown => {
    if (typeof node === 'string' && node.startsWith(MARK)) {
      const token = node.slice(MARK.length);
      found.set(at, token);
      return Number(token);
    }
    if (Array.isArray(node)) node.forEach((item, i) => (node[i] = walk(item, `${at}/${i}`)));
    else if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      for (const k of Object.keys(obj)) obj[k] = walk(obj[k], `${at}/${escapeKey(k)}`);
    }
    return node;
  };
  walk(value, '');
  return found.size ? found : undefined;
}
