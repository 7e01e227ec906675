/**
 * The actual cost of evaluating a rule, counted as it runs so that a runaway evaluation stops early
 * (cel-go tracks it in its interpreter and cancels at the per-call limit; @bufbuild/cel has no cost
 * tracking). A planned expression is a copy of the checked one in which each comprehension's loop
 * condition (evaluated once per iteration, before the step, and never an error) passes through a
 * meter call charging that iteration's cost; the meter throws once the evaluation's limit is passed,
 * the comprehension stops with that error, and so does every enclosing one.
 *
 * The cost of a node is cel-go's runtime cost: 1 for an identifier, a field selection and a call
 * (has() nothing beyond its operand), 0 for a constant, 10 for a list literal, 30 for a map
 * literal; &&, ||, ?:, `or` and `orValue` nothing themselves, and what they may leave unevaluated
 * only when it is evaluated (it charges itself first, lazyOperands). An iteration costs its condition and step, a nested
 * comprehension there only its range, initial value and result (its own iterations charge
 * themselves). String functions whose cost grows with the string have their string operand pass
 * through a second meter call that charges what upstream charges for its actual length: contains
 * (length/10 × the literal substring's length/10), matches, find and findAll ((length+1)/10 × the
 * literal regex's length/4), lowerAscii, upperAscii, substring, trim (length/10), replace and split
 * (length/5), string concatenation (each side's length/10), startsWith and endsWith (the prefix's
 * length/10). This is cel-go's count for rules over numbers, booleans, lists and maps
 * (self.all(x, x > 0) costs 2 + 5 an item in both) and close for those string functions (a call
 * costs 1 more here; with a substring or regex that is not a literal its length counts as 1);
 * string equality and ordering, size() and the list functions count 1 a call.
 */
import { CelScalar, celFunc, type CelFunc, type parse } from '@bufbuild/cel';
import type { CelSchemaType } from './types.js';

type Expr = ReturnType<typeof parse>['expr'];

/** The meter a planned expression calls with an iteration's cost and the loop condition's value. */
const METER = '@kubemock.cost';
/** The meter a string operand passes through: (factor, added length, multiplier, value). */
const SIZE_METER = '@kubemock.cost.size';
/** cel-go's error when an evaluation passes its cost limit. */
export const COST_LIMIT_EXCEEDED = 'operation cancelled: actual cost limit exceeded';

interface Meter {
  spent: number;
  limit: number;
  exceeded: boolean;
}

/** The evaluation being metered (evaluations are synchronous, one at a time). */
let current: Meter | undefined;

function charge(cost: number): void {
  if (!current) return;
  current.spent += cost;
  if (current.spent > current.limit) {
    current.exceeded = true;
    throw new Error(COST_LIMIT_EXCEEDED);
  }
}

export const METER_FUNCS: CelFunc[] = [
  celFunc(METER, [CelScalar.DYN, CelScalar.DYN], CelScalar.DYN, (cost, value) => {
    charge(Number(cost));
    return value;
  }),
  celFunc(SIZE_METER, [CelScalar.DYN, CelScalar.DYN, CelScalar.DYN, CelScalar.DYN], CelScalar.DYN, (factor, add, times, value) => {
    if (typeof value === 'string') charge(Math.ceil((value.length + Number(add)) * Number(factor)) * Number(times));
    return value;
  }),
];

/** How upstream charges a string function for its string's length: (length + add) × factor × (the literal argument's length × per arg). */
const STRING_COSTS: Record<string, { factor: number; add: number; perArg?: number }> = {
  contains: { factor: 0.1, add: 0, perArg: 0.1 },
  matches: { factor: 0.1, add: 1, perArg: 0.25 },
  find: { factor: 0.1, add: 1, perArg: 0.25 },
  findAll: { factor: 0.1, add: 1, perArg: 0.25 },
  lowerAscii: { factor: 0.1, add: 0 },
  upperAscii: { factor: 0.1, add: 0 },
  substring: { factor: 0.1, add: 0 },
  trim: { factor: 0.1, add: 0 },
  replace: { factor: 0.2, add: 0 },
  split: { factor: 0.2, add: 0 },
};
const PREFIX_FUNCTIONS = new Set(['startsWith', 'endsWith']);

/** A string literal's length, if `e` is one. */
function literalLength(e: Expr | undefined): number | undefined {
  const k = e?.exprKind;
  return k?.case === 'constExpr' && k.value.constantKind.case === 'stringValue' ? k.value.constantKind.value.length : undefined;
}

/**
 * The arguments of `e` that are evaluated only on some runs, if it has any: the second operand of
 * `&&` and `||` (cel-go's evalAnd and evalOr stop at the first false or true), both branches of
 * `?:` (its conditionalAttribute evaluates one), and the argument of `o.or(p)` and `o.orValue(v)`
 * (evalOptionalOr and evalOptionalOrValue, cel/library.go decorateOptionalOr, evaluate it only when
 * `o` is none). None of these calls costs anything itself: cel-go's cost observer charges only
 * what it evaluates (interpreter/runtimecost.go), and these are no InterpretableCall.
 */
function lazyOperands(e: Expr): number[] | undefined {
  const k = e.exprKind;
  if (k.case !== 'callExpr') return undefined;
  const { function: fn, target, args } = k.value;
  if (!target && args.length === 2 && (fn === '_&&_' || fn === '_||_')) return [1];
  if (!target && args.length === 3 && fn === '_?_:_') return [1, 2];
  if (target && args.length === 1 && (fn === 'or' || fn === 'orValue')) return [0];
  return undefined;
}

/** A node's cost as described above; comprehension loops left to their meters. */
function unitCost(e: Expr | undefined): number {
  if (!e) return 0;
  const k = e.exprKind;
  switch (k.case) {
    case 'identExpr':
      return 1;
    case 'selectExpr':
      return (k.value.testOnly ? 0 : 1) + unitCost(k.value.operand);
    case 'callExpr': {
      // what is evaluated only on some runs charges itself when it is (instrument)
      const lazy = lazyOperands(e);
      if (lazy) {
        const eager = k.value.args.filter((_, i) => !lazy.includes(i));
        return unitCost(k.value.target) + eager.reduce((n, a) => n + unitCost(a), 0);
      }
      const prefix = PREFIX_FUNCTIONS.has(k.value.function) && k.value.target ? literalLength(k.value.args[0]) : undefined;
      const own = prefix !== undefined ? Math.ceil(prefix * 0.1) : 1;
      return own + unitCost(k.value.target) + k.value.args.reduce((n, a) => n + unitCost(a), 0);
    }
    case 'listExpr':
      return 10 + k.value.elements.reduce((n, el) => n + unitCost(el), 0);
    case 'structExpr':
      return (
        (k.value.messageName ? 40 : 30) +
        k.value.entries.reduce((n, en) => n + unitCost(en.value) + (en.keyKind.case === 'mapKey' ? unitCost(en.keyKind.value) : 0), 0)
      );
    case 'comprehensionExpr':
      return unitCost(k.value.iterRange) + unitCost(k.value.accuInit) + unitCost(k.value.result);
    default:
      return 0;
  }
}

/** Node ids for the nodes instrumenting adds, after the expression's own. */
interface Ids {
  next: bigint;
}

function constant(value: number, ids: Ids): Expr {
  const constantKind = Number.isInteger(value) ? { case: 'int64Value', value: BigInt(value) } : { case: 'doubleValue', value };
  return {
    $typeName: 'cel.expr.Expr',
    id: ids.next++,
    exprKind: { case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind } },
  } as unknown as Expr;
}

/** A call of `meter` with constant arguments `params` around `value`, as an expression node. */
function metered(meter: string, params: number[], value: Expr, ids: Ids): Expr {
  const args = [...params.map((p) => constant(p, ids)), value];
  return {
    $typeName: 'cel.expr.Expr',
    id: ids.next++,
    exprKind: { case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: meter, args } },
  } as unknown as Expr;
}

/**
 * `value` charging `cost` when it is evaluated, before it is, so that a value which errors is
 * charged too: `METER(cost, true) ? value : false`, whose false branch never runs.
 */
function chargedFirst(cost: number, value: Expr, ids: Ids): Expr {
  if (cost === 0) return value;
  const yes = {
    $typeName: 'cel.expr.Expr',
    id: ids.next++,
    exprKind: { case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'boolValue', value: true } } },
  } as unknown as Expr;
  const no = {
    ...yes,
    id: ids.next++,
    exprKind: { ...yes.exprKind, value: { ...yes.exprKind.value, constantKind: { case: 'boolValue', value: false } } },
  } as unknown as Expr;
  return {
    $typeName: 'cel.expr.Expr',
    id: ids.next++,
    exprKind: {
      case: 'callExpr',
      value: { $typeName: 'cel.expr.Expr.Call', function: '_?_:_', args: [metered(METER, [cost], yes, ids), value, no] },
    },
  } as unknown as Expr;
}

function maxId(e: Expr | undefined, max = 0n): bigint {
  if (!e) return max;
  let m = e.id > max ? e.id : max;
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      return maxId(k.value.operand, m);
    case 'callExpr':
      m = maxId(k.value.target, m);
      for (const a of k.value.args) m = maxId(a, m);
      return m;
    case 'listExpr':
      for (const el of k.value.elements) m = maxId(el, m);
      return m;
    case 'structExpr':
      for (const en of k.value.entries) m = maxId(en.value, en.keyKind.case === 'mapKey' ? maxId(en.keyKind.value, m) : m);
      return m;
    case 'comprehensionExpr':
      for (const part of [k.value.iterRange, k.value.accuInit, k.value.loopCondition, k.value.loopStep, k.value.result]) m = maxId(part, m);
      return m;
    default:
      return m;
  }
}

/**
 * Instruments `e` (a copy, changed in place): every loop condition charges its iteration's cost,
 * and the string operands of the functions above their length's; `types` are the checker's.
 */
function instrument(e: Expr | undefined, ids: Ids, types: ReadonlyMap<bigint, CelSchemaType>): void {
  if (!e) return;
  const k = e.exprKind;
  const isString = (x: Expr | undefined) => x !== undefined && types.get(x.id)?.kind === 'string';
  switch (k.case) {
    case 'selectExpr':
      return instrument(k.value.operand, ids, types);
    case 'callExpr': {
      const call = k.value;
      instrument(call.target, ids, types);
      call.args.forEach((a) => instrument(a, ids, types));
      const cost = STRING_COSTS[call.function];
      const lazy = lazyOperands(e);
      if (lazy) {
        for (const i of lazy) call.args[i] = chargedFirst(unitCost(call.args[i]), call.args[i], ids);
      } else if (cost && call.target && isString(call.target)) {
        const literal = literalLength(call.args[0]);
        const times = cost.perArg !== undefined && literal !== undefined ? Math.ceil(literal * cost.perArg) : 1;
        call.target = metered(SIZE_METER, [cost.factor, cost.add, times], call.target, ids);
      } else if (
        PREFIX_FUNCTIONS.has(call.function) &&
        call.target &&
        call.args.length === 1 &&
        literalLength(call.args[0]) === undefined
      ) {
        call.args[0] = metered(SIZE_METER, [0.1, 0, 1], call.args[0], ids);
      } else if (call.function === '_+_' && call.args.length === 2 && call.args.every(isString)) {
        call.args = call.args.map((a) => metered(SIZE_METER, [0.1, 0, 1], a, ids));
      }
      return;
    }
    case 'listExpr':
      k.value.elements.forEach((el) => instrument(el, ids, types));
      return;
    case 'structExpr':
      for (const en of k.value.entries) {
        instrument(en.value, ids, types);
        if (en.keyKind.case === 'mapKey') instrument(en.keyKind.value, ids, types);
      }
      return;
    case 'comprehensionExpr': {
      const c = k.value;
      const perIteration = unitCost(c.loopCondition) + unitCost(c.loopStep);
      for (const part of [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]) instrument(part, ids, types);
      if (c.loopCondition) c.loopCondition = metered(METER, [perIteration], c.loopCondition, ids);
      return;
    }
    default:
      return;
  }
}

export interface MeteredExpr {
  /** The expression to plan: a copy whose loops charge the meter. */
  expr: Expr;
  /** What the expression costs outside its loops' iterations. */
  baseCost: number;
}

/** The metered form of a checked expression (left unchanged), `types` its nodes' types from the checker. */
export function meteredExpr(expr: Expr, types: ReadonlyMap<bigint, CelSchemaType>): MeteredExpr {
  const copy = structuredClone(expr);
  instrument(copy, { next: maxId(copy) + 1n }, types);
  return { expr: copy, baseCost: unitCost(expr) };
}

export interface MeteredRun<T> {
  result: T;
  /** The cost counted (when exceeded, up to where the evaluation stopped). */
  cost: number;
  exceeded: boolean;
}

/** Runs one evaluation of a metered expression, stopping it once its cost passes `limit`. */
export function runMetered<T>(limit: number, baseCost: number, run: () => T): MeteredRun<T> {
  const outer = current;
  const meter: Meter = { spent: baseCost, limit, exceeded: baseCost > limit };
  current = meter;
  try {
    const result = run();
    return { result, cost: meter.spent, exceeded: meter.exceeded };
  } finally {
    current = outer;
  }
}
