/**
 * One pass over a raw JSON body, as Go's decoder (sigs.k8s.io/json) makes it: syntax errors with
 * the texts of encoding/json's scanner, and the strict-decoding findings (`unknown field "x.y"`,
 * `duplicate field "x.y"`) in document order, deduplicated and capped at 100, with the paths
 * upstream prints: fields joined by dots, list items as `[i]`, map keys as fields. Given a
 * schema the scan decodes "into the typed object" (unknown fields reported, their values and open
 * values skipped); without one it decodes into a plain map (only duplicates can be found).
 */
import type { TSchema } from '@sinclair/typebox';
import { isUntyped, itemsOf, mapValueOf, propertyOf, shapeOf } from './schema-walk.js';
import { goQuote } from './go-quote.js';

/** How a strict-decoding finding quotes a field path. */
export type FieldQuote = (path: string) => string;

/**
 * How an unknown field's path is quoted: sigs.k8s.io/json (typed decoding) uses strconv.Quote;
 * the CRD handler reports the paths its pruning dropped as `unknown field "%s"`, unescaped.
 * Duplicate fields always come from sigs.k8s.io/json.
 */
export const unknownFieldQuote = (unstructured: boolean | undefined): FieldQuote => (unstructured ? (p) => `"${p}"` : goQuote);

/** A syntax error, with Go's message (e.g. `invalid character 'x' looking for beginning of value`). */
export class JsonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Strict decoding stops reporting after this many findings (sigs.k8s.io/json's maxErrors). */
export const MAX_STRICT_ERRORS = 100;

/** Go's quoteChar: the offending byte as a quoted rune. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const ch = String.fromCharCode(c);
  const quoted = JSON.stringify(ch).slice(1, -1);
  if (c < 0x20 || c === 0x7f) {
    const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
    return `'${named[c] ?? `\\x${c.toString(16).padStart(2, '0')}`}'`;
  }
  if (c >= 0x80 && c < 0xa0) return `'\\u00${c.toString(16)}'`;
  return `'${quoted}'`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

type Mode = { kind: 'typed'; schema: TSchema } | { kind: 'untyped' } | { kind: 'skip' };

/** How a value of this schema decodes: typed, as plain data (interface{}), or skipped (raw / absent). */
function typed(schema: TSchema | undefined): Mode {
  if (!schema) return { kind: 'skip' };
  return isUntyped(schema) ? { kind: 'untyped' } : { kind: 'typed', schema };
}

class Scanner {
  pos = 0;
  readonly strict: string[] = [];
  private readonly seen = new Set<string>();
  duplicates = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly quoteUnknown: FieldQuote,
  ) {}

  fail(context: string): never {
    if (this.pos >= this.buf.length) throw new JsonSyntaxError('unexpected end of JSON input');
    throw new JsonSyntaxError(`invalid character ${quoteChar(this.buf[this.pos])} ${context}`);
  }

  skipSpace(): void {
    while (this.pos < this.buf.length && isSpace(this.buf[this.pos])) this.pos++;
  }

  report(kind: 'unknown' | 'duplicate', path: string): void {
    if (kind === 'duplicate') this.duplicates++;
    const msg = `${kind} field ${kind === 'unknown' ? this.quoteUnknown(path) : goQuote(path)}`;
    if (this.strict.length >= MAX_STRICT_ERRORS || this.seen.has(msg)) return;
    this.seen.add(msg);
    this.strict.push(msg);
  }

  /** A string token; returns its decoded text when `want` (keys), else undefined. */
  string(want: boolean): string | undefined {
    const start = this.pos;
    this.pos++; // opening quote
    let escaped = false;
    for (;;) {
      if (this.pos >= this.buf.length) this.fail('');
      const c = this.buf[this.pos];
      if (c === 0x22) break;
      if (c < 0x20) this.fail('in string literal');
      if (c === 0x5c) {
        escaped = true;
        this.pos++;
        if (this.pos >= this.buf.length) this.fail('');
        const e = this.buf[this.pos];
        if (e === 0x75) {
          for (let i = 0; i < 4; i++) {
            this.pos++;
            if (this.pos >= this.buf.length) this.fail('');
            if (!isHex(this.buf[this.pos])) this.fail('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) this.fail('in string escape code');
      }
      this.pos++;
    }
    this.pos++; // closing quote
    if (!want) return undefined;
    const raw = this.buf.toString('utf8', start, this.pos);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  number(): void {
    const b = this.buf;
    if (b[this.pos] === 0x2d) {
      this.pos++;
      if (this.pos >= b.length || !isDigit(b[this.pos])) this.fail('in numeric literal');
    }
    if (b[this.pos] === 0x30) this.pos++;
    else while (this.pos < b.length && isDigit(b[this.pos])) this.pos++;
    if (b[this.pos] === 0x2e) {
      this.pos++;
      if (this.pos >= b.length || !isDigit(b[this.pos])) this.fail('after decimal point in numeric literal');
      while (this.pos < b.length && isDigit(b[this.pos])) this.pos++;
    }
    if (b[this.pos] === 0x65 || b[this.pos] === 0x45) {
      this.pos++;
      if (b[this.pos] === 0x2b || b[this.pos] === 0x2d) this.pos++;
      if (this.pos >= b.length || !isDigit(b[this.pos])) this.fail('in exponent of numeric literal');
      while (this.pos < b.length && isDigit(b[this.pos])) this.pos++;
    }
  }

  literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      if (this.pos >= this.buf.length) this.fail('');
      if (this.buf[this.pos] !== word.charCodeAt(i)) this.fail(`in literal ${word} (expecting '${word[i]}')`);
      this.pos++;
    }
  }

  value(mode: Mode, path: string): void {
    this.skipSpace();
    if (this.pos >= this.buf.length) this.fail('');
    const c = this.buf[this.pos];
    if (c === 0x7b) return this.object(mode, path);
    if (c === 0x5b) return this.array(mode, path);
    if (c === 0x22) return void this.string(false);
    if (c === 0x2d || isDigit(c)) return this.number();
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return this.literal('false');
    if (c === 0x6e) return this.literal('null');
    this.fail('looking for beginning of value');
  }

  private child(mode: Mode, key: string): { mode: Mode; known: boolean } {
    if (mode.kind !== 'typed') return { mode, known: true };
    const shape = shapeOf(mode.schema);
    if (shape === 'map') return { mode: typed(mapValueOf(mode.schema)), known: true };
    if (shape !== 'object') return { mode: { kind: 'skip' }, known: true };
    const prop = propertyOf(mode.schema, key);
    return prop ? { mode: typed(prop), known: true } : { mode: { kind: 'skip' }, known: false };
  }

  object(mode: Mode, path: string): void {
    this.pos++; // {
    // Objects decoded into a scalar or a list are type errors, and open values decode themselves.
    const own: Mode = mode.kind === 'typed' && ['scalar', 'list', 'open'].includes(shapeOf(mode.schema)) ? { kind: 'skip' } : mode;
    const keys = own.kind === 'skip' ? undefined : new Set<string>();
    this.skipSpace();
    if (this.buf[this.pos] === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.buf[this.pos] !== 0x22) this.fail('looking for beginning of object key string');
      const key = this.string(own.kind !== 'skip')!;
      const full = own.kind === 'skip' ? '' : path ? `${path}.${key}` : key;
      let next: Mode = { kind: 'skip' };
      if (own.kind !== 'skip') {
        const c = this.child(own, key);
        if (!c.known) this.report('unknown', full);
        else if (keys!.has(key)) this.report('duplicate', full);
        keys!.add(key);
        next = c.mode;
      }
      this.skipSpace();
      if (this.buf[this.pos] !== 0x3a) this.fail('after object key');
      this.pos++;
      this.value(next, full);
      this.skipSpace();
      const c = this.buf[this.pos];
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return;
      }
      this.fail('after object key:value pair');
    }
  }

  array(mode: Mode, path: string): void {
    this.pos++; // [
    let item: Mode = mode;
    if (mode.kind === 'typed') item = typed(shapeOf(mode.schema) === 'list' ? itemsOf(mode.schema) : undefined);
    this.skipSpace();
    if (this.buf[this.pos] === 0x5d) {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.value(item, item.kind === 'skip' ? '' : `${path}[${i}]`);
      this.skipSpace();
      const c = this.buf[this.pos];
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return;
      }
      this.fail('after array element');
    }
  }
}

export interface ScanResult {
  /** `unknown field "…"` / `duplicate field "…"`, in document order. */
  strict: string[];
  /** Whether some object repeated a key (then JSON.parse's last-wins value differs from Go's). */
  hasDuplicates: boolean;
}

/**
 * Checks a JSON text; throws JsonSyntaxError with Go's message when it is not valid JSON. With a
 * schema, unknown fields are reported as for a typed decode; without, the text is a plain map.
 */
export function scanJson(body: Buffer | string, schema?: TSchema, quoteUnknown: FieldQuote = goQuote): ScanResult {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const s = new Scanner(buf, quoteUnknown);
  s.value(schema ? typed(schema) : { kind: 'untyped' }, '');
  s.skipSpace();
  if (s.pos < buf.length) s.fail('after top-level value');
  return { strict: s.strict, hasDuplicates: s.duplicates > 0 };
}

/** Whether the quote at `at` is escaped: an odd run of backslashes before it. */
function isEscapedQuote(buf: Buffer, at: number): boolean {
  let n = 0;
  while (buf[at - 1 - n] === 0x5c) n++;
  return n % 2 === 1;
}

/** How many object keys a valid JSON text holds: its strings followed by a colon. No allocation. */
function keysInText(buf: Buffer): number {
  let keys = 0;
  for (let i = buf.indexOf(0x22); i >= 0 && i < buf.length; i = buf.indexOf(0x22, i + 1)) {
    let end = buf.indexOf(0x22, i + 1);
    while (end > 0 && isEscapedQuote(buf, end)) end = buf.indexOf(0x22, end + 1);
    if (end < 0) break;
    let next = end + 1;
    while (next < buf.length && isSpace(buf[next])) next++;
    if (buf[next] === 0x3a) keys++;
    i = end;
  }
  return keys;
}

/** How many keys a parsed JSON value holds, at every depth. */
function keysInValue(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let keys = 0;
  if (Array.isArray(value)) {
    for (const item of value) keys += keysInValue(item);
    return keys;
  }
  for (const key of Object.keys(value)) keys += 1 + keysInValue((value as Record<string, unknown>)[key]);
  return keys;
}

/**
 * Whether some object of a JSON text repeats a key, given the text and what JSON.parse made of it:
 * JSON.parse keeps one key of each repeated set, so the parsed value holds fewer keys than the text
 * exactly when a key repeats. Two counts, no schema, no paths, no key strings: far cheaper than
 * scanJson. It also counts repeats the scan ignores (inside unknown or open values): false means
 * the scan would report no duplicate field, true that the scan must be asked.
 */
export function hasDuplicateKeys(buf: Buffer, parsed: unknown): boolean {
  return keysInText(buf) !== keysInValue(parsed);
}

/** Go's encoding/json scanner nests arrays and objects at most this deep (maxNestingDepth). */
const JSON_MAX_DEPTH = 10_000;

/**
 * Where a JSON text first opens an array or object deeper than JSON_MAX_DEPTH, or -1. One loop
 * with no recursion, so any depth is measured; a text shorter than the limit cannot reach it.
 */
function tooDeepAt(buf: Buffer): number {
  if (buf.length <= JSON_MAX_DEPTH) return -1;
  let depth = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x22) {
      // Skip the string: to the next quote that no backslash escapes.
      for (i++; i < buf.length && buf[i] !== 0x22; i++) if (buf[i] === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > JSON_MAX_DEPTH) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** Fails as Go's decoder does on a text nested deeper than it reads: `invalid character '[' exceeded max depth`. */
export function checkJsonDepth(buf: Buffer): void {
  const at = tooDeepAt(buf);
  if (at >= 0) throw new JsonSyntaxError(`invalid character ${quoteChar(buf[at])} exceeded max depth`);
}

/**
 * JSON.parse, failing with Go's wording (encoding/json's syntax errors) as a JsonSyntaxError,
 * nesting included: deeper than JSON_MAX_DEPTH is the error Go's scanner gives (JSON.parse itself
 * reads any depth, but the recursive walks after it would overflow the stack).
 */
export function parseGoJson(buf: Buffer): unknown {
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    checkJsonDepth(buf);
    try {
      scanJson(buf); // throws the Go-worded error
    } catch (scanned) {
      if (scanned instanceof JsonSyntaxError) throw scanned;
    }
    throw new JsonSyntaxError((e as Error).message);
  }
  checkJsonDepth(buf);
  return value;
}

/** Go's summarizeData (apiserver handlers): an object's first 30 bytes as text, anything else in hex. */
export function summarizeData(buf: Buffer, max = 30): string {
  if (buf.length === 0) return '<empty>';
  const head = buf.subarray(0, max);
  const shown = buf[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return buf.length > max ? `${shown} ...` : shown;
}
