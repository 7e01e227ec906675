/**
 * A static check of a parsed CEL expression against the declared type of `self`, standing in for
 * cel-go's type checker where a client sees its result (a CRD whose rule does not compile is
 * rejected): undeclared identifiers and functions, fields a schema does not declare, operators
 * applied to two known types they have no overload for, comprehensions over what is not a list,
 * map or dyn (an object type printed by its name, types.ts namedTypes), optional types (optional(T) of a `.?`
 * selection, an `[?]` index and the optional library, optional-check.ts), and the expression's
 * result type. Types it cannot tell are dyn and pass, as cel-go lets dyn pass. Issues are worded
 * and placed as cel-go prints them (`ERROR: <input>:1:10: undefined field 'foo'` with the source line and a caret).
 */
import type { CelEnv, CelType, parse } from '@bufbuild/cel';
import { DYN, typeName, type CelSchemaType } from './types.js';
import { OPT_INDEX, OPT_SELECT } from './optional-syntax.js';
import { isOptionalFunction, optionalCallType, optionalType, unwrapOptional } from './optional-check.js';

type Parsed = ReturnType<typeof parse>;
type Expr = Parsed['expr'];

export interface Issue {
  offset: number;
  message: string;
}

type Scope = ReadonlyMap<string, CelSchemaType>;

const BOOL: CelSchemaType = { kind: 'bool' };
const INT: CelSchemaType = { kind: 'int' };
const STRING: CelSchemaType = { kind: 'string' };
const DOUBLE: CelSchemaType = { kind: 'double' };
const SCALARS = new Set(['int', 'double', 'string', 'bool']);
const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn']);
const EQUALITY = new Set(['_==_', '_!=_']);
const ORDERING = new Set(['_<_', '_<=_', '_>_', '_>=_']);
const ARITHMETIC = new Set(['_+_', '_-_', '_*_', '_/_', '_%_']);
/** The operand types of the arithmetic operators' overloads among our scalars (cel-go's standard declarations): bool has none. */
const ARITHMETIC_OPERANDS: Record<string, Set<string>> = {
  '_+_': new Set(['int', 'double', 'string']),
  '_-_': new Set(['int', 'double']),
  '_*_': new Set(['int', 'double']),
  '_/_': new Set(['int', 'double']),
  '_%_': new Set(['int']),
};
const LOGICAL = new Set(['_&&_', '_||_', '!_', '@not_strictly_false', '@in']);

const isScalar = (t: CelSchemaType) => SCALARS.has(t.kind);

/**
 * The type of a literal's elements (or keys, or values): theirs where they all have the same one,
 * else dyn, as cel-go's checkCreateList / checkCreateMap join them (joinTypes); dyn for none.
 */
function joined(types: CelSchemaType[]): CelSchemaType {
  const first = types[0];
  if (!first || first.kind === 'optional') return DYN;
  const name = typeName(first);
  return types.every((t) => typeName(t) === name) ? first : DYN;
}

/**
 * Whether `_[_]` has an overload for a container and key of these types: a list takes an int, a
 * map its key type (string for a schema's maps), dyn on either side anything (cel-go's index_list
 * and index_map; a known key of another scalar type unifies with neither). An object (a schema's
 * declared type) or a scalar is neither a list nor a map: no overload, whatever the key.
 */
function indexable(container: CelSchemaType, key: CelSchemaType): boolean {
  if (container.kind === 'dyn') return true;
  if (container.kind !== 'list' && container.kind !== 'map') return false;
  if (key.kind === 'dyn' || !isScalar(key)) return true;
  if (container.kind === 'list') return key.kind === 'int';
  if (container.kind === 'map') {
    const k = container.key ?? STRING;
    return k.kind === 'dyn' || k.kind === key.kind;
  }
  return true;
}
const numeric = (t: CelSchemaType) => t.kind === 'int' || t.kind === 'double';

/** Our type for a library function's declared result (dyn when it is none of ours). */
function fromCelType(t: CelType): CelSchemaType {
  if (t.kind === 'list') return { kind: 'list', elem: fromCelType(t.element) };
  if (t.name === 'google.protobuf.Timestamp') return { kind: 'timestamp' };
  if (t.name === 'google.protobuf.Duration') return { kind: 'duration' };
  if (t.kind === 'scalar' && SCALARS.has(t.name)) return { kind: t.name as 'int' };
  return DYN;
}

class Checker {
  readonly issues: Issue[] = [];
  /** Each node's type, by expression id (the cost estimate reads them). */
  readonly types = new Map<bigint, CelSchemaType>();
  usesOldSelf = false;

  constructor(
    private readonly env: CelEnv,
    private readonly positions: Record<string, number>,
  ) {}

  private issue(e: Expr, message: string): void {
    this.issues.push({ offset: this.positions[String(e.id)] ?? 0, message });
  }

  infer(e: Expr, scope: Scope): CelSchemaType {
    const t = this.inferNode(e, scope);
    this.types.set(e.id, t);
    return t;
  }

  private inferNode(e: Expr, scope: Scope): CelSchemaType {
    const k = e.exprKind;
    switch (k.case) {
      case 'constExpr':
        switch (k.value.constantKind.case) {
          case 'int64Value':
            return INT;
          case 'doubleValue':
            return DOUBLE;
          case 'stringValue':
            return STRING;
          case 'boolValue':
            return BOOL;
          default:
            return DYN;
        }
      case 'identExpr': {
        const t = scope.get(k.value.name);
        if (t) {
          if (k.value.name === 'oldSelf') this.usesOldSelf = true;
          return t;
        }
        if (!TYPE_NAMES.has(k.value.name)) this.issue(e, `undeclared reference to '${k.value.name}' (in container '')`);
        return DYN;
      }
      case 'selectExpr': {
        const operand = k.value.operand;
        if (!operand) return DYN;
        const t = this.infer(operand, scope);
        // a selection on an optional is optional (cel-go's checkSelectField)
        const field = t.kind === 'optional' ? optionalType(this.select(e, t.value, k.value.field)) : this.select(e, t, k.value.field);
        return k.value.testOnly ? BOOL : field;
      }
      case 'callExpr':
        return this.call(e, k.value.function, k.value.target, k.value.args, scope);
      case 'listExpr': {
        const optionals = new Set(k.value.optionalIndices);
        const elems = k.value.elements.map((x, i) => (optionals.has(i) ? this.optionalInit(x, scope) : this.infer(x, scope)));
        return { kind: 'list', elem: joined(elems) };
      }
      case 'structExpr': {
        const keys: CelSchemaType[] = [];
        const values: CelSchemaType[] = [];
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === 'mapKey') keys.push(this.infer(entry.keyKind.value, scope));
          if (entry.value) values.push(entry.optionalEntry ? this.optionalInit(entry.value, scope) : this.infer(entry.value, scope));
        }
        return { kind: 'map', value: joined(values), key: joined(keys) };
      }
      case 'comprehensionExpr': {
        const c = k.value;
        const range = c.iterRange ? this.infer(c.iterRange, scope) : DYN;
        if (c.iterRange && range.kind !== 'list' && range.kind !== 'map' && range.kind !== 'dyn') {
          const message = `expression of type '${typeName(range)}' cannot be range of a comprehension (must be list, map, or dynamic)`;
          this.issue(c.iterRange, message);
        }
        const inner = new Map(scope);
        // one variable: a list's elements or a map's keys; two: a list's indices or a map's keys, then the values
        const key = range.kind === 'list' ? (c.iterVar2 ? INT : range.elem) : range.kind === 'map' ? STRING : DYN;
        inner.set(c.iterVar, key);
        if (c.iterVar2) inner.set(c.iterVar2, range.kind === 'list' ? range.elem : range.kind === 'map' ? range.value : DYN);
        inner.set(c.accuVar, c.accuInit ? this.infer(c.accuInit, scope) : DYN);
        if (c.loopCondition) this.infer(c.loopCondition, inner);
        if (c.loopStep) this.infer(c.loopStep, inner);
        return c.result ? this.infer(c.result, inner) : DYN;
      }
      default:
        return DYN;
    }
  }

  /** An optional list element or map value: its type must be optional (or dyn); the type it holds. */
  private optionalInit(e: Expr, scope: Scope): CelSchemaType {
    const t = this.infer(e, scope);
    const value = unwrapOptional(t);
    if (value) return value;
    this.issue(e, `expected type '${typeName(optionalType(t))}' but found '${typeName(t)}'`);
    return t;
  }

  private select(e: Expr, t: CelSchemaType, field: string): CelSchemaType {
    switch (t.kind) {
      case 'object': {
        const f = t.fields.get(field);
        if (f) return f.type;
        // an object's undeclared fields are not exposed, preserved or not (cel-go's checkSelectField)
        this.issue(e, `undefined field '${field}'`);
        return DYN;
      }
      case 'map':
        return t.value;
      case 'dyn':
        return DYN;
      default:
        this.issue(e, `type '${typeName(t)}' does not support field selection`);
        return DYN;
    }
  }

  private call(e: Expr, fn: string, target: Expr | undefined, args: Expr[], scope: Scope): CelSchemaType {
    // a qualified function name (sets.contains) parses as a method call on an identifier
    if (target?.exprKind.case === 'identExpr' && !scope.has(target.exprKind.value.name)) {
      const qualified = `${target.exprKind.value.name}.${fn}`;
      if (this.env.funcs.find(qualified)) return this.call(e, qualified, undefined, args, scope);
    }
    const targetType = target ? this.infer(target, scope) : undefined;
    const types = args.map((a) => this.infer(a, scope));
    const [l, r] = types;
    if (EQUALITY.has(fn) || ORDERING.has(fn)) {
      const comparable = l.kind === r.kind || l.kind === 'dyn' || r.kind === 'dyn' || (ORDERING.has(fn) && numeric(l) && numeric(r));
      const optional = l.kind === 'optional' || r.kind === 'optional';
      if (!comparable && (isScalar(l) || isScalar(r) || optional)) this.noOverload(e, fn, types);
      return BOOL;
    }
    if (ARITHMETIC.has(fn)) {
      const refused =
        (isScalar(l) && isScalar(r) && l.kind !== r.kind) || [l, r].some((t) => isScalar(t) && !ARITHMETIC_OPERANDS[fn].has(t.kind));
      if (!refused) return l.kind === 'dyn' ? r : l;
      // cel-go types the failed call as an error, which reports nothing further
      this.noOverload(e, fn, types);
      return DYN;
    }
    if (LOGICAL.has(fn)) {
      if (fn !== '@in' && types.some((t) => t.kind !== 'bool' && t.kind !== 'dyn')) this.noOverload(e, fn, types);
      return BOOL;
    }
    if (fn === '-_') return l;
    if (fn === '_?_:_') {
      if (l.kind !== 'bool' && l.kind !== 'dyn') this.noOverload(e, fn, types);
      return types[1];
    }
    if (fn === OPT_SELECT) {
      const field = args[1].exprKind;
      const name = field.case === 'constExpr' && field.value.constantKind.case === 'stringValue' ? field.value.constantKind.value : '';
      return optionalType(this.select(e, unwrapOptional(l) ?? l, name));
    }
    if (fn === '_[_]' || fn === OPT_INDEX) {
      // an index into an optional, or an optional index, is optional
      const container = unwrapOptional(l) ?? l;
      if (!indexable(container, r)) {
        // cel-go types the failed call as an error, which reports nothing further
        this.noOverload(e, fn, types);
        return DYN;
      }
      const elem = container.kind === 'list' ? container.elem : container.kind === 'map' ? container.value : DYN;
      return fn === OPT_INDEX || l.kind === 'optional' ? optionalType(elem) : elem;
    }
    if (isOptionalFunction(fn, targetType !== undefined) && this.env.funcs.find(fn)) {
      const result = optionalCallType(fn, targetType, types);
      if (result) return result;
      this.noOverload(e, fn, types, targetType);
      return DYN;
    }
    if (targetType?.kind === 'optional') {
      this.noOverload(e, fn, types, targetType);
      return DYN;
    }
    const group = this.env.funcs.find(fn);
    if (!group) {
      this.issue(e, `undeclared reference to '${fn}' (in container '')`);
      return DYN;
    }
    const overloads = [...group].filter(
      (f) => (f.target === undefined) === (targetType === undefined) && f.arguments.length === args.length,
    );
    const results = new Set(overloads.map((f) => typeName(fromCelType(f.result))));
    return results.size === 1 ? fromCelType(overloads[0].result) : DYN;
  }

  private noOverload(e: Expr, fn: string, types: CelSchemaType[], target?: CelSchemaType): void {
    const on = target ? `${typeName(target)}.` : '';
    this.issue(e, `found no matching overload for '${fn}' applied to '${on}(${types.map(typeName).join(', ')})'`);
  }
}

export interface CheckResult {
  issues: Issue[];
  resultType: CelSchemaType;
  usesOldSelf: boolean;
  types: ReadonlyMap<bigint, CelSchemaType>;
}

export function checkExpression(env: CelEnv, parsed: Parsed, scope: Scope): CheckResult {
  const positions = Object.fromEntries(Object.entries(parsed.sourceInfo?.positions ?? {}).map(([k, v]) => [k, Number(v)]));
  const checker = new Checker(env, positions);
  const resultType = checker.infer(parsed.expr, scope);
  return { issues: checker.issues, resultType, usesOldSelf: checker.usesOldSelf, types: checker.types };
}

/** Issues as cel-go's Issues.String(), in source order: each `ERROR: <input>:line:col: message` with its line and a caret under the column. */
export function formatIssues(source: string, issues: Issue[]): string {
  return [...issues]
    .sort((a, b) => a.offset - b.offset)
    .map(({ offset, message }) => {
      const before = source.slice(0, offset);
      const line = before.split('\n').length;
      const lineStart = before.lastIndexOf('\n') + 1;
      const column = offset - lineStart + 1;
      const text = source.slice(lineStart).split('\n')[0];
      return `ERROR: <input>:${line}:${column}: ${message}\n | ${text}\n | ${'.'.repeat(column - 1)}^`;
    })
    .join('\n');
}
