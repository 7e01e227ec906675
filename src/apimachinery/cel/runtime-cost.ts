/**
 * The actual cost of evaluating a rule, counted as it runs so that a runaway evaluation stops early
 * (cel-go tracks it in its interpreter and cancels at the per-call limit; @bufbuild/cel has no cost
 * tracking). A planned expression is a copy of the checked one in which each comprehension's loop
 * condition (evaluated once per iteration, before the step, and never an error) passes through a
 * meter call charging that iteration's cost; the meter throws once the evaluation's limit is passed,
 * the comprehension stops with that error, and so does every enclosing one.
 *
 * The cost of a node is cel-go's runtime cost without sizes: 1 for an identifier, a field
 * selection and a call (&&, || and ?: cost nothing themselves, has() nothing beyond its operand),
 * 0 for a constant, 10 for a list literal, 30 for a map literal. An iteration costs its condition
 * and step, a nested comprehension there only its range, initial value and result (its own
 * iterations charge themselves). This matches cel-go's actual cost exactly for rules over numbers,
 * booleans, lists and maps (self.all(x, x > 0) costs 2 + 5 an item in both); string functions whose
 * upstream cost grows with the string (contains, matches, +, ==, startsWith…) are counted as 1 a
 * call, so a rule spending its budget on long strings runs longer here than upstream lets it.
 */
import { CelScalar, celFunc, type CelFunc, type parse } from '@bufbuild/cel';

type Expr = ReturnType<typeof parse>['expr'];

/** The meter a planned expression calls with an iteration's cost and the loop condition's value. */
const METER = '@kubemock.cost';
/** cel-go's error when an evaluation passes its cost limit. */
export const COST_LIMIT_EXCEEDED = 'operation cancelled: actual cost limit exceeded';

interface Meter {
  spent: number;
  limit: number;
  exceeded: boolean;
}

/** The evaluation being metered (evaluations are synchronous, one at a time). */
let current: Meter | undefined;

export const METER_FUNCS: CelFunc[] = [
  celFunc(METER, [CelScalar.DYN, CelScalar.DYN], CelScalar.DYN, (cost, value) => {
    if (current) {
      current.spent += Number(cost);
      if (current.spent > current.limit) {
        current.exceeded = true;
        throw new Error(COST_LIMIT_EXCEEDED);
      }
    }
    return value;
  }),
];

const FREE_CALLS = new Set(['_&&_', '_||_', '_?_:_']);

/** A node's cost as described above; comprehension loops left to their meters. */
function unitCost(e: Expr | undefined): number {
  if (!e) return 0;
  const k = e.exprKind;
  switch (k.case) {
    case 'identExpr':
      return 1;
    case 'selectExpr':
      return (k.value.testOnly ? 0 : 1) + unitCost(k.value.operand);
    case 'callExpr':
      return (FREE_CALLS.has(k.value.function) ? 0 : 1) + unitCost(k.value.target) + k.value.args.reduce((n, a) => n + unitCost(a), 0);
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

/** A call of the meter with `cost` around `value`, as an expression node. */
function metered(cost: number, value: Expr, id: bigint): Expr {
  const constant = {
    $typeName: 'cel.expr.Expr',
    id: id + 1n,
    exprKind: {
      case: 'constExpr',
      value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'int64Value', value: BigInt(cost) } },
    },
  };
  return {
    $typeName: 'cel.expr.Expr',
    id,
    exprKind: { case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: METER, args: [constant, value] } },
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

/** Wraps every loop condition in `e` (a copy, changed in place) with its iteration's meter call. */
function instrument(e: Expr | undefined, ids: { next: bigint }): void {
  if (!e) return;
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      return instrument(k.value.operand, ids);
    case 'callExpr':
      instrument(k.value.target, ids);
      k.value.args.forEach((a) => instrument(a, ids));
      return;
    case 'listExpr':
      k.value.elements.forEach((el) => instrument(el, ids));
      return;
    case 'structExpr':
      for (const en of k.value.entries) {
        instrument(en.value, ids);
        if (en.keyKind.case === 'mapKey') instrument(en.keyKind.value, ids);
      }
      return;
    case 'comprehensionExpr': {
      const c = k.value;
      const perIteration = unitCost(c.loopCondition) + unitCost(c.loopStep);
      for (const part of [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]) instrument(part, ids);
      if (c.loopCondition) {
        c.loopCondition = metered(perIteration, c.loopCondition, ids.next);
        ids.next += 2n;
      }
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

/** The metered form of a checked expression (left unchanged). */
export function meteredExpr(expr: Expr): MeteredExpr {
  const copy = structuredClone(expr);
  instrument(copy, { next: maxId(copy) + 1n });
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
