/**
 * Two-variable comprehensions (cel-go's ext.TwoVarComprehensions, in Kubernetes' CEL environment
 * since 1.32): `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)` (also `exists_one`),
 * `transformList(i, v, [filter,] t)`, `transformMap(i, v, [filter,] t)` and
 * `transformMapEntry(i, v, [filter,] e)`, where over a list `i` is the index and `v` the element,
 * over a map `i` the key and `v` its value. @bufbuild/cel parses them as plain member calls, so
 * `expandTwoVarMacros` rewrites a parsed expression into the comprehensions cel-go's macros build
 * (the checker and the cost estimate read those), with cel-go's wording for misuse ("argument
 * must be a simple name", "duplicate variable name: v", "iteration variable overwrites accumulator
 * variable"). @bufbuild/cel's planner binds one iteration variable only, so `lowerForPlanner`
 * rewrites each two-variable comprehension before planning: it iterates over the [key, value]
 * entries of its range and binds both names around the loop condition and step with
 * comprehensions over an empty list (the way cel.bind binds a name). Maps are iterated in the
 * order they hold their keys (a JSON object's, as written); kube-apiserver iterates Go maps, whose
 * order is unspecified.
 */
import { CelScalar, celFunc, celType, isCelList, isCelMap, listType, mapType, type CelValue, type parse } from '@bufbuild/cel';
import type { Issue } from './check.js';
import { notIterable } from './runtime-errors.js';

type Parsed = ReturnType<typeof parse>;
type Expr = Parsed['expr'];

/** cel-go's function inserting into a transformMap / transformMapEntry accumulator. */
export const MAP_INSERT = 'cel.@mapInsert';
/** The [key, value] entries of a list (index, element) or map, which a lowered comprehension iterates. */
const ENTRIES = '@kubemock.entries';
/** The iteration variable of a lowered comprehension (one entry). */
const ENTRY = '@kubemock.entry';
/** The accumulator's name, as cel-go's macros name it. */
const ACCU = '@result';
const LEGACY_ACCU = '__result__';

const MACROS: Record<string, number[]> = {
  all: [3],
  exists: [3],
  existsOne: [3],
  exists_one: [3],
  transformList: [3, 4],
  transformMap: [3, 4],
  transformMapEntry: [3, 4],
};

const ANY_MAP = mapType(CelScalar.DYN, CelScalar.DYN);

/** Go's %v of a map key in the duplicate-key error. */
const keyText = (k: CelValue) => (typeof k === 'string' ? k : String(k));

function insert(target: CelValue, entries: Iterable<[CelValue, CelValue]>): Map<CelValue, CelValue> {
  if (!isCelMap(target)) throw new Error('no such overload');
  const out = new Map<CelValue, CelValue>(target);
  for (const [k, v] of entries) {
    if (typeof k !== 'string' && typeof k !== 'bigint' && typeof k !== 'boolean') throw new Error('unsupported key type');
    if (target.has(k) || out.has(k)) throw new Error(`insert failed: key ${keyText(k)} already exists`);
    out.set(k, v);
  }
  return out;
}

/** The functions the expanded and lowered comprehensions call. */
export const COMPREHENSION_FUNCS = [
  celFunc(MAP_INSERT, [ANY_MAP, CelScalar.DYN, CelScalar.DYN], ANY_MAP, (m, k, v) => insert(m, [[k, v]]) as never),
  celFunc(MAP_INSERT, [ANY_MAP, ANY_MAP], ANY_MAP, (m, update) => {
    if (!isCelMap(update)) throw new Error('no such overload');
    return insert(m, update.entries()) as never;
  }),
  celFunc(ENTRIES, [CelScalar.DYN], listType(CelScalar.DYN), (range) => {
    if (isCelList(range)) return [...range].map((v, i) => [BigInt(i), v]);
    if (isCelMap(range)) return [...range.entries()].map(([k, v]) => [k, v]);
    throw new Error(notIterable(celType(range).name));
  }),
];

/** Builds nodes with fresh ids, each placed at one source offset. */
export class Factory {
  constructor(
    private next: bigint,
    private readonly positions: Record<string, number>,
    private readonly offset: number,
  ) {}

  private node(exprKind: unknown): Expr {
    const id = this.next++;
    this.positions[String(id)] = this.offset;
    return { $typeName: 'cel.expr.Expr', id, exprKind } as unknown as Expr;
  }

  get nextId(): bigint {
    return this.next;
  }

  ident(name: string): Expr {
    return this.node({ case: 'identExpr', value: { $typeName: 'cel.expr.Expr.Ident', name } });
  }

  bool(value: boolean): Expr {
    return this.node({ case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'boolValue', value } } });
  }

  int(value: bigint): Expr {
    return this.node({ case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'int64Value', value } } });
  }

  string(value: string): Expr {
    return this.node({ case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'stringValue', value } } });
  }

  call(fn: string, ...args: Expr[]): Expr {
    return this.node({ case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: fn, args } });
  }

  member(fn: string, target: Expr, ...args: Expr[]): Expr {
    return this.node({ case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: fn, target, args } });
  }

  list(...elements: Expr[]): Expr {
    return this.node({ case: 'listExpr', value: { $typeName: 'cel.expr.Expr.CreateList', elements, optionalIndices: [] } });
  }

  map(): Expr {
    return this.node({ case: 'structExpr', value: { $typeName: 'cel.expr.Expr.CreateStruct', messageName: '', entries: [] } });
  }

  comprehension(c: {
    range: Expr;
    iterVar: string;
    iterVar2: string;
    accuVar: string;
    init: Expr;
    condition: Expr;
    step: Expr;
    result: Expr;
  }): Expr {
    return this.node({
      case: 'comprehensionExpr',
      value: {
        $typeName: 'cel.expr.Expr.Comprehension',
        iterRange: c.range,
        iterVar: c.iterVar,
        iterVar2: c.iterVar2,
        accuVar: c.accuVar,
        accuInit: c.init,
        loopCondition: c.condition,
        loopStep: c.step,
        result: c.result,
      },
    });
  }
}

export function maxId(e: Expr | undefined, max: bigint): bigint {
  if (!e) return max;
  let m = e.id > max ? e.id : max;
  for (const child of children(e)) m = maxId(child, m);
  return m;
}

/** The subexpressions of `e`, in source order (what a walk of the tree visits below it). */
export function children(e: Expr): Expr[] {
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      return k.value.operand ? [k.value.operand] : [];
    case 'callExpr':
      return [...(k.value.target ? [k.value.target] : []), ...k.value.args];
    case 'listExpr':
      return k.value.elements;
    case 'structExpr':
      return k.value.entries.flatMap((en) => [
        ...(en.keyKind.case === 'mapKey' ? [en.keyKind.value] : []),
        ...(en.value ? [en.value] : []),
      ]);
    case 'comprehensionExpr': {
      const c = k.value;
      return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].filter((x): x is Expr => x !== undefined);
    }
    default:
      return [];
  }
}

/** Replaces each child of `e` by `f(child)`, in place. */
export function mapChildren(e: Expr, f: (x: Expr) => Expr): void {
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      if (k.value.operand) k.value.operand = f(k.value.operand);
      return;
    case 'callExpr':
      if (k.value.target) k.value.target = f(k.value.target);
      k.value.args = k.value.args.map(f);
      return;
    case 'listExpr':
      k.value.elements = k.value.elements.map(f);
      return;
    case 'structExpr':
      for (const en of k.value.entries) {
        if (en.keyKind.case === 'mapKey') en.keyKind.value = f(en.keyKind.value);
        if (en.value) en.value = f(en.value);
      }
      return;
    case 'comprehensionExpr': {
      const c = k.value;
      if (c.iterRange) c.iterRange = f(c.iterRange);
      if (c.accuInit) c.accuInit = f(c.accuInit);
      if (c.loopCondition) c.loopCondition = f(c.loopCondition);
      if (c.loopStep) c.loopStep = f(c.loopStep);
      if (c.result) c.result = f(c.result);
      return;
    }
    default:
      return;
  }
}

const identName = (e: Expr): string | undefined => (e.exprKind.case === 'identExpr' ? e.exprKind.value.name : undefined);

/**
 * Rewrites the two-variable macro calls of `parsed` (in place) into comprehensions shaped as
 * cel-go's, new nodes placed at the call; returns the macro errors found.
 */
export function expandTwoVarMacros(parsed: Parsed): Issue[] {
  const positions = (parsed.sourceInfo?.positions ?? {}) as Record<string, number>;
  const issues: Issue[] = [];
  let next = maxId(parsed.expr, 0n) + 1n;
  const at = (e: Expr) => Number(positions[String(e.id)] ?? 0);

  const visit = (e: Expr): Expr => {
    mapChildren(e, visit);
    const k = e.exprKind;
    if (k.case !== 'callExpr' || !k.value.target || !MACROS[k.value.function]?.includes(k.value.args.length)) return e;
    const { function: fn, target, args } = k.value;
    const [first, second] = args;
    const v1 = identName(first);
    const v2 = identName(second);
    const fail = (node: Expr, message: string) => {
      issues.push({ offset: at(node), message });
      return e;
    };
    if (v1 === undefined) return fail(first, 'argument must be a simple name');
    if (v2 === undefined) return fail(second, 'argument must be a simple name');
    if (v1 === v2) return fail(second, `duplicate variable name: ${v1}`);
    if (v1 === ACCU || v1 === LEGACY_ACCU) return fail(first, 'iteration variable overwrites accumulator variable');
    if (v2 === ACCU || v2 === LEGACY_ACCU) return fail(second, 'iteration variable overwrites accumulator variable');
    const f = new Factory(next, positions, at(e));
    const out = expansion(f, fn, target, v1, v2, args.slice(2));
    next = f.nextId;
    return out;
  };
  parsed.expr = visit(parsed.expr);
  return issues;
}

function expansion(f: Factory, fn: string, range: Expr, iterVar: string, iterVar2: string, rest: Expr[]): Expr {
  const accu = () => f.ident(ACCU);
  const loop = (init: Expr, condition: Expr, step: Expr, result: Expr) =>
    f.comprehension({ range, iterVar, iterVar2, accuVar: ACCU, init, condition, step, result });
  const [filter, transform] = rest.length === 2 ? rest : [undefined, rest[0]];
  const filtered = (step: Expr) => (filter ? f.call('_?_:_', filter, step, accu()) : step);
  switch (fn) {
    case 'all':
      return loop(f.bool(true), f.call('@not_strictly_false', accu()), f.call('_&&_', accu(), transform), accu());
    case 'exists':
      return loop(f.bool(false), f.call('@not_strictly_false', f.call('!_', accu())), f.call('_||_', accu(), transform), accu());
    case 'existsOne':
    case 'exists_one':
      return loop(
        f.int(0n),
        f.bool(true),
        f.call('_?_:_', transform, f.call('_+_', accu(), f.int(1n)), accu()),
        f.call('_==_', accu(), f.int(1n)),
      );
    case 'transformList':
      return loop(f.list(), f.bool(true), filtered(f.call('_+_', accu(), f.list(transform))), accu());
    case 'transformMap':
      return loop(f.map(), f.bool(true), filtered(f.call(MAP_INSERT, accu(), f.ident(iterVar), transform)), accu());
    default:
      return loop(f.map(), f.bool(true), filtered(f.call(MAP_INSERT, accu(), transform)), accu());
  }
}

/**
 * `expr` (changed in place) with every two-variable comprehension made one that @bufbuild/cel's
 * planner runs: over the entries of the range, both names bound around the condition and step.
 */
export function lowerForPlanner(expr: Expr): Expr {
  const f = new Factory(maxId(expr, 0n) + 1n, {}, 0);
  const bind = (name: string, value: Expr, body: Expr) =>
    f.comprehension({
      range: f.list(),
      iterVar: '#unused',
      iterVar2: '',
      accuVar: name,
      init: value,
      condition: f.bool(false),
      step: f.ident(name),
      result: body,
    });
  const part = (i: bigint) => f.call('_[_]', f.ident(ENTRY), f.int(i));
  const visit = (e: Expr): Expr => {
    mapChildren(e, visit);
    if (e.exprKind.case !== 'comprehensionExpr' || !e.exprKind.value.iterVar2) return e;
    const c = e.exprKind.value;
    const bound = (body: Expr | undefined) => body && bind(c.iterVar, part(0n), bind(c.iterVar2, part(1n), body));
    c.iterRange = c.iterRange && f.call(ENTRIES, c.iterRange);
    c.loopCondition = bound(c.loopCondition);
    c.loopStep = bound(c.loopStep);
    c.iterVar = ENTRY;
    c.iterVar2 = '';
    return e;
  };
  return visit(expr);
}
