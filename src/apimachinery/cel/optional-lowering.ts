/**
 * A checked expression's optional forms made into calls @bufbuild/cel's planner runs (it ignores
 * a list's optional indices and a map entry's optional flag, and knows no optional type): a list
 * literal with optional elements becomes its plain list passed to OPTIONAL_ELEMENTS with those
 * indices, a map literal likewise through OPTIONAL_ENTRIES; `_?._` and `_[?_]` become calls of
 * our functions (the planner takes those names for attribute accesses that stop at an absent
 * key but make no optional), and so does a field selection or index whose
 * operand the checker typed optional (cel-go's "after the
 * first optional selection all subsequent selections are optional"); a field selection or index
 * whose operand the checker typed dyn asks at run time whether the operand is an optional and,
 * if so, is one (cel-go's applyQualifiers, interpreter/attributes.go, makes any qualification of
 * an optional value optional); and `o.or(p)` and
 * `o.orValue(v)` bind `o` once and evaluate their argument only when `o` is none, as cel-go's
 * evalOptionalOr and evalOptionalOrValue do.
 */
import type { parse } from '@bufbuild/cel';
import { Factory, mapChildren, maxId } from './comprehensions.js';
import { OPT_INDEX, OPT_SELECT } from './optional-syntax.js';
import { IS_OPTIONAL, OPTIONAL_ELEMENTS, OPTIONAL_ENTRIES, OPTIONAL_INDEX, OPTIONAL_SELECT } from './optional.js';
import type { CelSchemaType } from './types.js';

type Expr = ReturnType<typeof parse>['expr'];

/** The name an `or` / `orValue` binds its optional to (no rule can spell it). */
const BOUND = '@optional';
/** The names a selection or index on a dyn operand binds the operand and the key to. */
const OPERAND = '@operand';
const KEY = '@key';

/** `expr` (changed in place) with its optional forms lowered; `types` are the checker's, by node id. */
export function lowerOptionals(expr: Expr, types: ReadonlyMap<bigint, CelSchemaType>): Expr {
  const f = new Factory(maxId(expr, 0n) + 1n, {}, 0);
  const optional = (e: Expr | undefined) => e !== undefined && types.get(e.id)?.kind === 'optional';
  const operandOptional = (e: Expr) => {
    const k = e.exprKind;
    if (k.case === 'selectExpr') return optional(k.value.operand);
    return k.case === 'callExpr' && k.value.function === '_[_]' && optional(k.value.args[0]);
  };
  // a dyn the checker cannot tell (int-or-string is never an optional)
  const dyn = (e: Expr | undefined) => {
    const t = e && types.get(e.id);
    return t?.kind === 'dyn' && !t.declared;
  };
  const operandDyn = (e: Expr) => {
    const k = e.exprKind;
    if (k.case === 'selectExpr') return !k.value.testOnly && dyn(k.value.operand);
    return k.case === 'callExpr' && k.value.function === '_[_]' && !k.value.target && dyn(k.value.args[0]);
  };
  const ints = (xs: number[]) => f.list(...xs.map((x) => f.int(BigInt(x))));
  const bindAs = (name: string, value: Expr, body: Expr) =>
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
  const bind = (value: Expr, body: Expr) => bindAs(BOUND, value, body);
  /** `x.f` or `x[k]` on a dyn `x`: the optional selection or index when `x` is an optional at run time, else itself. */
  const onDynOperand = (e: Expr): Expr => {
    const k = e.exprKind;
    const optionalOne = (access: Expr) => f.call('_?_:_', f.call(IS_OPTIONAL, f.ident(OPERAND)), access, e);
    if (k.case === 'selectExpr' && k.value.operand) {
      const operand = k.value.operand;
      k.value.operand = f.ident(OPERAND);
      return bindAs(OPERAND, operand, optionalOne(f.call(OPTIONAL_SELECT, f.ident(OPERAND), f.string(k.value.field))));
    }
    if (k.case !== 'callExpr') return e;
    const [operand, key] = k.value.args;
    k.value.args = [f.ident(OPERAND), f.ident(KEY)];
    return bindAs(OPERAND, operand, bindAs(KEY, key, optionalOne(f.call(OPTIONAL_INDEX, f.ident(OPERAND), f.ident(KEY)))));
  };
  const visit = (e: Expr): Expr => {
    // read before the operand is lowered to a node of its own
    const onOptional = operandOptional(e);
    const onDyn = !onOptional && operandDyn(e);
    mapChildren(e, visit);
    if (onDyn) return onDynOperand(e);
    const k = e.exprKind;
    switch (k.case) {
      case 'listExpr': {
        const indices = k.value.optionalIndices;
        if (!indices.length) return e;
        k.value.optionalIndices = [];
        return f.call(OPTIONAL_ELEMENTS, e, ints(indices));
      }
      case 'structExpr': {
        const indices = k.value.entries.flatMap((en, i) => (en.optionalEntry ? [i] : []));
        if (!indices.length || k.value.messageName) return e;
        for (const en of k.value.entries) en.optionalEntry = false;
        return f.call(OPTIONAL_ENTRIES, e, ints(indices));
      }
      case 'selectExpr':
        if (k.value.testOnly || !k.value.operand || !onOptional) return e;
        return f.call(OPTIONAL_SELECT, k.value.operand, f.string(k.value.field));
      case 'callExpr': {
        const { function: fn, target, args } = k.value;
        if (fn === OPT_SELECT) k.value.function = OPTIONAL_SELECT;
        if (fn === OPT_INDEX || (fn === '_[_]' && !target && onOptional)) k.value.function = OPTIONAL_INDEX;
        if (!target || args.length !== 1 || (fn !== 'or' && fn !== 'orValue')) return e;
        const bound = f.ident(BOUND);
        const present = fn === 'or' ? f.ident(BOUND) : f.member('value', f.ident(BOUND));
        return bind(target, f.call('_?_:_', f.member('hasValue', bound), present, args[0]));
      }
      default:
        return e;
    }
  };
  return visit(expr);
}
