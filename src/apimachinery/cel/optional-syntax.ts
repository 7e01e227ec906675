/**
 * CEL's optional syntax (cel.OptionalTypes, in Kubernetes' CEL environments since 1.28), which
 * @bufbuild/cel's parser (0.6.1, its newest release) does not read: `a.?b`, `a[?k]`, `{?k: v}`
 * and `[?v]`. Each `?` of that syntax is a token of its own in cel-go's grammar (after `.`, after
 * the `[` of an index, before a map key or a list element), so `blankOptionalMarks` replaces just
 * that character by a blank, outside strings and comments, and remembers where it was: the text
 * @bufbuild/cel then parses has every other character where the user wrote it, so every position,
 * and every error's line and column, still point at the user's text (a `?` of a conditional is
 * left alone: it never follows `.`, `[`, `{` or a literal's comma). `applyOptionalMarks` then
 * turns the parsed nodes at those places into what cel-go's parser builds: the calls `_?._(a,
 * 'b')` and `_[?_](a, k)`, a map entry with its optional flag, a list with its optional indices.
 * A rewrite of the text into calls of our own functions would have needed the same scanner, plus
 * a mapping of every position back; a fork of the generated parser would leave us a grammar to keep.
 */
import type { parse } from '@bufbuild/cel';
import type { Issue } from './check.js';
import { children } from './comprehensions.js';

type Parsed = ReturnType<typeof parse>;
type Expr = Parsed['expr'];

/** cel-go's names of the optional field selection and index. */
export const OPT_SELECT = '_?._';
export const OPT_INDEX = '_[?_]';

/**
 * A blanked `?`: its offset, what it marked, for `.?` and `[?` the offset of that `.` or `[`, for
 * an element or entry the offset of the literal's closing bracket (its element or key is in between).
 */
export interface OptionalMark {
  offset: number;
  kind: 'select' | 'index' | 'element' | 'entry';
  anchor: number;
  close: number;
}

const SPACE = /[ \t\n\r\f]/;
const IDENT = /[A-Za-z0-9_]/;

/** The length of the string literal starting at `i` (a quote), or of the rest of the text if it does not end. */
function stringLength(source: string, i: number, raw: boolean): number {
  const quote = source.startsWith(source[i].repeat(3), i) ? source[i].repeat(3) : source[i];
  let j = i + quote.length;
  while (j < source.length) {
    if (source.startsWith(quote, j)) return j + quote.length - i;
    if (!raw && source[j] === '\\') j++;
    else if (quote.length === 1 && (source[j] === '\n' || source[j] === '\r')) break;
    j++;
  }
  return j - i;
}

/** `source` with each `?` of the optional syntax blanked, and where they were. */
export function blankOptionalMarks(source: string): { text: string; marks: OptionalMark[] } {
  const marks: OptionalMark[] = [];
  // open brackets: '[' of a list literal or of an index, '{', '('
  const open: ('list' | 'index' | 'map' | 'paren')[] = [];
  // the marks of each open bracket, whose closing offset is known when it closes
  const inside: OptionalMark[][] = [];
  // the last token: a punctuation character, or 'operand' (a name, literal or closing bracket), and where it was
  let last = '';
  let lastAt = -1;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const at = i;
    if (c === '"' || c === "'") {
      const prefix = /([rRbB]{1,2})$/.exec(source.slice(Math.max(0, i - 2), i))?.[1] ?? '';
      const raw = /[rR]/.test(prefix) && !IDENT.test(source[i - prefix.length - 1] ?? '');
      i += stringLength(source, i, raw);
      last = 'operand';
    } else if (IDENT.test(c)) {
      while (i < source.length && IDENT.test(source[i])) i++;
      // `in` is an operator: a `[` after it opens a list
      last = source.slice(at, i) === 'in' ? 'in' : 'operand';
    } else if (c === '?') {
      const top = open[open.length - 1];
      let kind: OptionalMark['kind'] | undefined;
      if (last === '.') kind = 'select';
      else if (last === '[') kind = top === 'index' ? 'index' : 'element';
      else if (last === '{') kind = 'entry';
      else if (last === ',' && (top === 'list' || top === 'map')) kind = top === 'list' ? 'element' : 'entry';
      if (kind) {
        const mark = { offset: i, kind, anchor: lastAt, close: source.length };
        marks.push(mark);
        inside[inside.length - 1]?.push(mark);
      }
      last = kind ? 'mark' : '?';
      i++;
    } else {
      if (c === '[' || c === '{' || c === '(') {
        open.push(c === '[' ? (last === 'operand' ? 'index' : 'list') : c === '{' ? 'map' : 'paren');
        inside.push([]);
      } else if (c === ']' || c === '}' || c === ')') {
        open.pop();
        for (const m of inside.pop() ?? []) m.close = i;
      }
      last = c === ']' || c === '}' || c === ')' ? 'operand' : c;
      i++;
    }
    lastAt = at;
  }
  let text = '';
  let from = 0;
  for (const m of marks) {
    text += source.slice(from, m.offset) + ' ';
    from = m.offset + 1;
  }
  return { text: text + source.slice(from), marks };
}

function each(e: Expr, f: (e: Expr) => void): void {
  f(e);
  for (const c of children(e)) each(c, f);
}

/**
 * Makes the nodes `marks` point at (in `parsed`, in place) the optional forms cel-go's parser
 * builds: a `.?` or `[?` is the select or index at its anchor, a list element's or map key's `?`
 * the one of the element or key that begins first after it, before the literal closes. Returns
 * the issues of marks no such node takes: `has(a.?b)` (the macro takes a plain selection only)
 * and a `?` with no element or key after it (cel-go's parser refuses both).
 */
export function applyOptionalMarks(parsed: Parsed, marks: OptionalMark[]): Issue[] {
  if (!marks.length) return [];
  const positions = (parsed.sourceInfo?.positions ?? {}) as Record<string, number>;
  const at = (e: Expr) => Number(positions[String(e.id)] ?? -1);
  const start = (e: Expr): number => Math.min(at(e), ...children(e).map(start));
  const anchored = new Map(marks.filter((m) => m.kind === 'select' || m.kind === 'index').map((m) => [m.anchor, m]));
  const taken = new Set<OptionalMark>();
  const issues: Issue[] = [];
  // every list element and map key, by where it begins, to flag the one right after each mark
  const items: { start: number; kind: 'element' | 'entry'; flag: () => void }[] = [];
  let next = 0n;
  each(parsed.expr, (e) => {
    if (e.id >= next) next = e.id + 1n;
    const k = e.exprKind;
    if (k.case === 'listExpr') {
      k.value.elements.forEach((el, i) => items.push({ start: start(el), kind: 'element', flag: () => k.value.optionalIndices.push(i) }));
    } else if (k.case === 'structExpr' && !k.value.messageName) {
      for (const entry of k.value.entries) {
        if (entry.keyKind.case !== 'mapKey') continue;
        items.push({ start: start(entry.keyKind.value), kind: 'entry', flag: () => (entry.optionalEntry = true) });
      }
    }
  });
  for (const m of marks) {
    if (m.kind !== 'element' && m.kind !== 'entry') continue;
    const within = items.filter((it) => it.kind === m.kind && it.start > m.offset && it.start < m.close);
    const first = within.sort((a, b) => a.start - b.start)[0];
    if (!first) continue;
    first.flag();
    taken.add(m);
  }
  each(parsed.expr, (e) => {
    const k = e.exprKind;
    const mark = anchored.get(at(e));
    if (k.case === 'selectExpr' && !k.value.testOnly && k.value.operand && mark?.kind === 'select') {
      taken.add(mark);
      const field = {
        $typeName: 'cel.expr.Expr',
        id: next++,
        exprKind: {
          case: 'constExpr',
          value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'stringValue', value: k.value.field } },
        },
      } as unknown as Expr;
      positions[String(field.id)] = at(e);
      e.exprKind = {
        case: 'callExpr',
        value: { $typeName: 'cel.expr.Expr.Call', function: OPT_SELECT, args: [k.value.operand, field] },
      } as never;
    } else if (k.case === 'callExpr' && k.value.function === '_[_]' && mark?.kind === 'index') {
      taken.add(mark);
      k.value.function = OPT_INDEX;
    }
  });
  // has(a.?b): the macro's selection sits at `has`, its `.` is the first mark left after its operand
  const end = (e: Expr): number => Math.max(at(e), ...children(e).map(end));
  each(parsed.expr, (e) => {
    const k = e.exprKind;
    if (k.case !== 'selectExpr' || !k.value.testOnly || !k.value.operand) return;
    const after = end(k.value.operand);
    const candidates = marks.filter((m) => m.kind === 'select' && !taken.has(m) && m.anchor > after);
    const mark = candidates.sort((a, b) => a.anchor - b.anchor)[0];
    if (!mark) return;
    taken.add(mark);
    issues.push({ offset: mark.anchor, message: 'invalid argument to has() macro' });
  });
  for (const e of listsOf(parsed.expr)) e.optionalIndices.sort((a, b) => a - b);
  for (const m of marks) if (!taken.has(m)) issues.push({ offset: m.offset, message: "Syntax error: unexpected '?'" });
  return issues;
}

function listsOf(e: Expr): { optionalIndices: number[] }[] {
  const out: { optionalIndices: number[] }[] = [];
  each(e, (x) => {
    if (x.exprKind.case === 'listExpr') out.push(x.exprKind.value);
  });
  return out;
}
