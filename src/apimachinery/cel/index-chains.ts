/**
 * Nested indexes made to name their own container in a run-time error. @bufbuild/cel plans
 * `m[1][2]` as one attribute whose accesses all carry the id of its root `m`, so an error of the
 * second index names `m`, and the validator (runtime-errors.ts) words it by the root's checked type:
 * "no such key" for a map, "index out of bounds" for a list, which is wrong for a map of lists or a
 * list of maps. cel-go words it by the container the failing qualifier met (interpreter/attributes.go:
 * a missing map key "no such key: 2", an index outside a list "index out of bounds: 2"). Here the
 * operand of an index that is itself an index or a field selection, and is checked as a list or a
 * map, passes through `dyn()`, a new node that starts an attribute of its own; its id is given the
 * operand's checked type.
 */
import type { parse } from '@bufbuild/cel';
import { Factory, mapChildren, maxId } from './comprehensions.js';
import type { CelSchemaType } from './types.js';

type Expr = ReturnType<typeof parse>['expr'];

/** Separates `expr`'s nested indexes (in place); the types of the nodes it adds, by id. */
export function separateIndexChains(expr: Expr, types: ReadonlyMap<bigint, CelSchemaType>): Map<bigint, CelSchemaType> {
  const f = new Factory(maxId(expr, 0n) + 1n, {}, 0);
  const added = new Map<bigint, CelSchemaType>();
  const chained = (e: Expr) =>
    e.exprKind.case === 'selectExpr' ||
    (e.exprKind.case === 'callExpr' && e.exprKind.value.function === '_[_]' && !e.exprKind.value.target);
  const visit = (e: Expr): Expr => {
    mapChildren(e, visit);
    const k = e.exprKind;
    if (k.case !== 'callExpr' || k.value.function !== '_[_]' || k.value.target || k.value.args.length !== 2) return e;
    const operand = k.value.args[0];
    const type = types.get(operand.id);
    // where the checker does not tell a list from a map, the root's type still decides
    if (!chained(operand) || (type?.kind !== 'list' && type?.kind !== 'map')) return e;
    const wrapped = f.call('dyn', operand);
    added.set(wrapped.id, type);
    k.value.args[0] = wrapped;
    return e;
  };
  visit(expr);
  return added;
}
