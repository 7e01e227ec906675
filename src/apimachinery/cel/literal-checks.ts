/**
 * The compile-time checks of literals kube-apiserver's CEL environments run after a rule type-checks
 * (since 1.29; cel-go's AST validators for durations, timestamps, regexes and homogeneous aggregate
 * literals, cel/validator.go): `duration(…)` and `timestamp(…)` of a literal that does not convert
 * (cel-go evaluates the call: a string Go cannot read, a timestamp outside years 1 to 9999, any
 * int given to duration) are `invalid duration argument` / `invalid timestamp argument`, a
 * `matches` whose first argument is a string RE2 refuses is `invalid matches argument` (the pattern
 * of `s.matches(p)`, the first operand of `matches(s, p)`, as cel-go looks at the first argument
 * either way), each at the literal; a list literal whose element's type is not the first element's
 * is `expected type 'int' but found 'string'` at that element (one per list), a map literal
 * likewise for each key and each value against the first entry's; literals inside a `format` call
 * are exempt. The types must be the same, not merely assignable (cel-go's IsEquivalentType): dyn
 * beside int is reported (`expected type 'dyn' but found 'int'`), where dyn is certain, an
 * int-or-string field or a `dyn(…)` call; object types by their names (types.ts namedTypes). Types
 * this checker cannot tell (what a library call answers in more than one way) are never reported.
 */
import type { parse } from '@bufbuild/cel';
import type { Issue } from './check.js';
import { typeName, type CelSchemaType } from './types.js';
import { inTimestampRange, isCelTimestamp, isGoDuration } from './time-literals.js';
import { compileRegexp } from '../re2.js';

type Expr = ReturnType<typeof parse>['expr'];

const KNOWN_KINDS = new Set(['int', 'double', 'string', 'bool', 'bytes', 'timestamp', 'duration', 'object']);
const CONSTANT_TYPES: Record<string, string> = {
  int64Value: 'int',
  uint64Value: 'uint',
  doubleValue: 'double',
  stringValue: 'string',
  boolValue: 'bool',
  bytesValue: 'bytes',
  nullValue: 'null_type',
};

function validRegexp(pattern: string): boolean {
  try {
    compileRegexp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Whether the call of each checked function on a literal succeeds (undefined: a literal the check does not look at). */
const LITERAL_FUNCTIONS: Record<string, (literal: string | bigint) => boolean | undefined> = {
  duration: (v) => typeof v === 'string' && isGoDuration(v),
  timestamp: (v) => (typeof v === 'string' ? isCelTimestamp(v) : inTimestampRange(v)),
  matches: (v) => (typeof v === 'string' ? validRegexp(v) : undefined),
};

/** A string or int literal's value. */
function literalValue(e: Expr | undefined): string | bigint | undefined {
  const k = e?.exprKind;
  if (k?.case !== 'constExpr') return undefined;
  const c = k.value.constantKind;
  return c.case === 'stringValue' || c.case === 'int64Value' ? c.value : undefined;
}

/** A type the checker knows fully, as cel-go names it (undefined when it does not). */
function knownSchemaType(t: CelSchemaType | undefined): string | undefined {
  if (!t) return undefined;
  if (KNOWN_KINDS.has(t.kind) || (t.kind === 'dyn' && t.declared)) return typeName(t);
  if (t.kind === 'list') {
    const elem = knownSchemaType(t.elem);
    return elem && `list(${elem})`;
  }
  if (t.kind === 'map') {
    const value = knownSchemaType(t.value);
    return value && `map(string, ${value})`;
  }
  if (t.kind === 'optional') {
    const value = knownSchemaType(t.value);
    return value && `optional_type(${value})`;
  }
  return undefined;
}

/** What an optional element or entry (`[?o]`, `{?k: o}`) adds to its literal: the type its optional holds. */
function held(t: string | undefined): string | undefined {
  const m = t && /^optional_type\((.*)\)$/.exec(t);
  return m ? m[1] : undefined;
}

/** The aggregate type cel-go gives elements of these types: theirs when all agree, dyn when they do not. */
function joined(types: (string | undefined)[]): string | undefined {
  if (!types.length || types.some((t) => t === undefined)) return undefined;
  return types.every((t) => t === types[0]) ? types[0] : 'dyn';
}

class LiteralChecker {
  readonly issues: Issue[] = [];

  constructor(
    private readonly types: ReadonlyMap<bigint, CelSchemaType>,
    private readonly positions: Record<string, number>,
  ) {}

  private at(e: Expr, message: string): void {
    this.issues.push({ offset: this.positions[String(e.id)] ?? 0, message });
  }

  /** cel-go's type of `e` where this checker knows it exactly. */
  typeOf(e: Expr): string | undefined {
    const k = e.exprKind;
    switch (k.case) {
      case 'constExpr':
        return CONSTANT_TYPES[k.value.constantKind.case ?? ''];
      case 'listExpr': {
        const elems = joined(k.value.elements.map((x, i) => this.elementType(k.value.optionalIndices, x, i)));
        return elems && `list(${elems})`;
      }
      case 'structExpr': {
        if (k.value.messageName) return undefined;
        const keys = joined(k.value.entries.map((x) => (x.keyKind.case === 'mapKey' ? this.typeOf(x.keyKind.value) : undefined)));
        const values = joined(k.value.entries.map((x) => this.entryValueType(x)));
        return keys && values && `map(${keys}, ${values})`;
      }
      case 'callExpr':
        if (k.value.function === 'dyn' && !k.value.target && k.value.args.length === 1) return 'dyn';
        return knownSchemaType(this.types.get(e.id));
      default:
        return knownSchemaType(this.types.get(e.id));
    }
  }

  /** A list literal's element's type as its list joins it: an optional element's held type. */
  private elementType(optionalIndices: readonly number[], e: Expr, i: number): string | undefined {
    return optionalIndices.includes(i) ? held(this.typeOf(e)) : this.typeOf(e);
  }

  /** A map literal's entry's value type, likewise. */
  private entryValueType(entry: { value?: Expr; optionalEntry: boolean }): string | undefined {
    if (!entry.value) return undefined;
    return entry.optionalEntry ? held(this.typeOf(entry.value)) : this.typeOf(entry.value);
  }

  private mismatch(e: Expr, expected: string | undefined, found = this.typeOf(e)): void {
    if (expected !== undefined && found !== undefined && found !== expected) {
      this.at(e, `expected type '${expected}' but found '${found}'`);
    }
  }

  visit(e: Expr, inFormat: boolean): void {
    const k = e.exprKind;
    switch (k.case) {
      case 'callExpr': {
        const { function: fn, target, args } = k.value;
        const literal = literalValue(args[0]);
        const check = Object.hasOwn(LITERAL_FUNCTIONS, fn) ? LITERAL_FUNCTIONS[fn] : undefined;
        if (check && literal !== undefined && check(literal) === false) this.at(args[0], `invalid ${fn} argument`);
        if (target) this.visit(target, inFormat || fn === 'format');
        for (const a of args) this.visit(a, inFormat || fn === 'format');
        return;
      }
      case 'selectExpr':
        if (k.value.operand) this.visit(k.value.operand, inFormat);
        return;
      case 'listExpr': {
        const elems = k.value.elements;
        if (elems.length && !inFormat) {
          const types = elems.map((x, i) => this.elementType(k.value.optionalIndices, x, i));
          const expected = types[0];
          const odd = types.findIndex((t, i) => i > 0 && expected !== undefined && t !== undefined && t !== expected);
          if (odd > 0) this.mismatch(elems[odd], expected, types[odd]);
        }
        for (const x of k.value.elements) this.visit(x, inFormat);
        return;
      }
      case 'structExpr': {
        const entries = k.value.entries;
        if (!k.value.messageName && entries.length && !inFormat) {
          const key = (x: (typeof entries)[number]) => (x.keyKind.case === 'mapKey' ? x.keyKind.value : undefined);
          const [first, ...rest] = entries;
          const firstKey = key(first);
          const [keyType, valueType] = [firstKey && this.typeOf(firstKey), this.entryValueType(first)];
          for (const x of rest) {
            const k2 = key(x);
            if (k2) this.mismatch(k2, keyType);
            if (x.value) this.mismatch(x.value, valueType, this.entryValueType(x));
          }
        }
        for (const x of entries) {
          if (x.keyKind.case === 'mapKey') this.visit(x.keyKind.value, inFormat);
          if (x.value) this.visit(x.value, inFormat);
        }
        return;
      }
      case 'comprehensionExpr': {
        const c = k.value;
        for (const x of [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]) if (x) this.visit(x, inFormat);
        return;
      }
      default:
        return;
    }
  }
}

/** The literal checks' issues for a checked expression (`types` from the checker, `positions` by expression id). */
export function literalIssues(expr: Expr, types: ReadonlyMap<bigint, CelSchemaType>, positions: Record<string, number>): Issue[] {
  const checker = new LiteralChecker(types, positions);
  checker.visit(expr, false);
  return checker.issues;
}
