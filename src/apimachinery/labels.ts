/**
 * Label selectors: the string syntax of ?labelSelector= (labels.Parse) and metav1.LabelSelector
 * objects (LabelSelectorAsSelector / FormatLabelSelector), with upstream's error wording.
 */
import { goParseInt64 } from './go-strconv.js';
import type { FieldError } from './field-errors.js';
import { aggregateMessage, errorString, invalidValue, path } from './field-errors.js';
import { badRequest } from './status.js';
import { goStringSlice, isQualifiedName, isValidLabelValue } from './validation/names.js';

import type { LabelSelector } from './schemas/meta.js';
import { goQuote } from './go-quote.js';

export type { LabelSelector };

export interface Selector {
  readonly empty: boolean;
  matches(labels: Record<string, string> | undefined): boolean;
  toString(): string;
  /** exact key=value pairs it requires (for indexing), may be empty */
  requiredEquals(): Record<string, string>;
}

/** selection.Operator values. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

/** A failure inside the parser; turned into a 400 at the API boundary. */
class SyntaxFailure extends Error {}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** strconv.ParseInt(s, 10, 64); undefined when it fails. */
const parseInt64 = (s: string): bigint | undefined => goParseInt64(s).value;

/** labels.NewRequirement's checks; `valuesNil` prints an empty list as Go's nil slice. */
function requirementErrors(key: string, op: Operator, vals: string[], valuesNil: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const keyMsgs = isQualifiedName(key);
  if (keyMsgs.length) errs.push(invalidValue(path('key'), key, keyMsgs.join('; ')));
  const valuesPath = path('values');
  const shown = goStringSlice(valuesNil && vals.length === 0 ? null : vals);
  if (op === 'in' || op === 'notin') {
    if (vals.length === 0) errs.push(invalidValue(valuesPath, shown, "for 'in', 'notin' operators, values set can't be empty"));
  } else if (op === '=' || op === '==' || op === '!=') {
    if (vals.length !== 1) errs.push(invalidValue(valuesPath, shown, 'exact-match compatibility requires one single value'));
  } else if (op === 'exists' || op === '!') {
    if (vals.length !== 0) errs.push(invalidValue(valuesPath, shown, 'values set must be empty for exists and does not exist'));
  } else {
    if (vals.length !== 1) errs.push(invalidValue(valuesPath, shown, "for 'Gt', 'Lt' operators, exactly one value is required"));
    const notInt = "for 'Gt', 'Lt' operators, the value must be an integer";
    for (const [i, v] of vals.entries()) if (parseInt64(v) === undefined) errs.push(invalidValue(valuesPath.index(i), v, notInt));
  }
  for (const [i, v] of vals.entries()) {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(invalidValue(valuesPath.index(i).key(key), v, msgs.join('; ')));
  }
  return errs;
}

function newRequirement(key: string, operator: Operator, values: string[], valuesNil = false): Requirement {
  const errs = requirementErrors(key, operator, values, valuesNil);
  if (errs.length) throw new SyntaxFailure(aggregateMessage(errs));
  return { key, operator, values };
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const present = has(labels, r.key);
  const value = present ? labels[r.key] : '';
  const op = r.operator;
  if (op === 'in' || op === '=' || op === '==') return present && r.values.includes(value);
  if (op === 'notin' || op === '!=') return !present || !r.values.includes(value);
  if (op === 'exists' || op === '!') return present === (op === 'exists');
  // gt / lt: both sides must be int64s
  if (!present || r.values.length !== 1) return false;
  const have = parseInt64(value);
  const want = parseInt64(r.values[0]);
  if (have === undefined || want === undefined) return false;
  return op === 'gt' ? have > want : have < want;
}

const OP_TEXT: Record<Operator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

export function requirementString(r: Requirement): string {
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${OP_TEXT[r.operator]}${set ? `(${values})` : values}`;
}

class RequirementsSelector implements Selector {
  readonly requirements: readonly Requirement[];
  constructor(reqs: Requirement[]) {
    // Stable sort by key, for a deterministic string form (upstream sorts by key too).
    this.requirements = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  get empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(labels: Record<string, string> | undefined): boolean {
    return this.requirements.every((r) => requirementMatches(r, labels ?? {}));
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
  requiredEquals(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of this.requirements) {
      const exact = r.operator === '=' || r.operator === '==' || r.operator === 'in';
      if (exact && r.values.length === 1 && !has(out, r.key)) out[r.key] = r.values[0]!;
    }
    return out;
  }
}

const NOTHING: Selector = Object.freeze({ empty: false, matches: () => false, toString: () => '', requiredEquals: () => ({}) });

/** True only for the selector of a null metav1.LabelSelector, which selects no objects. */
export const isNothingSelector = (sel: Selector): boolean => sel === NOTHING;

// ---- the string syntax -------------------------------------------------------------------------

type Tok = 'EOS' | 'ERR' | 'ID' | ')' | '(' | ',' | '!' | '==' | '=' | '>' | '<' | '!=' | 'in' | 'notin';
interface Item {
  tok: Tok;
  lit: string;
}

const KEYWORDS = new Map<string, Tok>((['(', ')', ',', '!', '==', '=', '>', '<', '!=', 'in', 'notin'] as const).map((t) => [t, t]));
const isWhitespace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string): boolean => '=!(),><'.includes(c) && c.length === 1;

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    if (pos >= s.length || s[pos] === '\0') return [...items, { tok: 'EOS', lit: '' }];
    if (isSpecial(s[pos])) {
      // Longest run of symbols that still forms an operator: "!=" but "!" then "(" for "!(".
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos])) {
        const tok = KEYWORDS.get(buf + s[pos]);
        if (!tok && last) break;
        buf += s[pos++];
        if (tok) last = { tok, lit: buf };
      }
      items.push(last ?? { tok: 'ERR', lit: `error expected: keyword found '${buf}'` });
    } else {
      const start = pos;
      while (pos < s.length && s[pos] !== '\0' && !isSpecial(s[pos]) && !isWhitespace(s[pos])) pos++;
      const word = s.slice(start, pos);
      if (s[pos] === '\0') pos++;
      items.push({ tok: KEYWORDS.get(word) ?? 'ID', lit: word });
    }
  }
}

const BINARY_OPS: Partial<Record<Tok, Operator>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** In the value context (`values`) the keywords `in`/`notin` are plain identifiers. */
  private peek(values = true, advance = false): Item {
    const it = this.items[Math.min(this.pos, this.items.length - 1)];
    if (advance) this.pos++;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'ID', lit: it.lit } : it;
  }
  private next(values = true): Item {
    return this.peek(values, true);
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'EOS') return reqs;
      if (tok !== 'ID' && tok !== '!') throw new SyntaxFailure(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof SyntaxFailure) throw new SyntaxFailure(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = this.next();
      if (after.tok === 'EOS') return reqs;
      if (after.tok !== ',') throw new SyntaxFailure(`found '${after.lit}', expected: ',' or 'end of string'`);
      const { tok: t2, lit: l2 } = this.peek();
      if (t2 !== 'ID' && t2 !== '!') throw new SyntaxFailure(`found '${l2}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let t = this.next();
    const negated = t.tok === '!';
    if (negated) t = this.next();
    if (t.tok !== 'ID') throw new SyntaxFailure(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyMsgs = isQualifiedName(key);
    if (keyMsgs.length) throw new SyntaxFailure(errorString(invalidValue('<nil>', key, keyMsgs.join('; '))));
    const la = this.peek().tok;
    if (negated) return newRequirement(key, '!', []);
    if (la === 'EOS' || la === ',') return newRequirement(key, 'exists', []);
    const opItem = this.next(false);
    const op = BINARY_OPS[opItem.tok];
    if (!op) throw new SyntaxFailure(`found '${opItem.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = op === 'in' || op === 'notin' ? this.setValues() : this.exactValue();
    return newRequirement(key, op, [...new Set(values)].sort());
  }

  private setValues(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new SyntaxFailure(`found '${open.lit}' expected: '('`);
    const la = this.peek();
    if (la.tok === ')') return this.next() && [''];
    if (la.tok !== 'ID' && la.tok !== ',') throw new SyntaxFailure(`found '${la.lit}', expected: ',', ')' or identifier`);
    const out: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.tok === 'ID') {
        out.push(t.lit);
        const t2 = this.peek();
        if (t2.tok === ')') break;
        if (t2.tok !== ',') throw new SyntaxFailure(`found '${t2.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        // Empty entries ("(,a)", "(a,,b)", "(a,)") stand for the empty value.
        if (out.length === 0) out.push('');
        const t2 = this.peek();
        if (t2.tok === ')' || t2.tok === ',') out.push('');
        if (t2.tok === ')') break;
      } else {
        throw new SyntaxFailure(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    this.next(); // the ')'
    return out;
  }

  private exactValue(): string[] {
    if (this.peek().tok === 'EOS' || this.peek().tok === ',') return [''];
    const t = this.next();
    if (t.tok === 'ID') return [t.lit];
    throw new SyntaxFailure(`found '${t.lit}', expected: identifier`);
  }
}

/** Parse `?labelSelector=`; throws a 400 StatusError carrying the parser's message. */
export function parseSelector(s: string): Selector {
  return asBadRequest(() => new RequirementsSelector(new Parser(lex(s)).parse()));
}

function asBadRequest<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof SyntaxFailure ? badRequest(e.message) : e;
  }
}

const LABEL_SELECTOR_OPS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/** metav1.LabelSelectorAsSelector: null selects nothing, `{}` everything; bad content is a 400. */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls == null) return NOTHING;
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  return asBadRequest(() => {
    const reqs = Object.keys(matchLabels)
      .sort()
      .map((k) => newRequirement(k, '=', [matchLabels[k]]));
    for (const e of exprs) {
      const op = has(LABEL_SELECTOR_OPS, e.operator) ? LABEL_SELECTOR_OPS[e.operator] : undefined;
      if (!op) throw new SyntaxFailure(`${goQuote(e.operator ?? '')} is not a valid label selector operator`);
      reqs.push(newRequirement(e.key ?? '', op, [...(e.values ?? [])], true));
    }
    return new RequirementsSelector(reqs);
  });
}

/** metav1.FormatLabelSelector: `app=x,tier in (a,b)`, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelector | null | undefined): string {
  try {
    return selectorFromLabelSelector(ls).toString() || '<none>';
  } catch {
    return '<error>';
  }
}

export function labelSelectorMatches(ls: LabelSelector | null | undefined, labels: Record<string, string> | undefined): boolean {
  return selectorFromLabelSelector(ls).matches(labels);
}
