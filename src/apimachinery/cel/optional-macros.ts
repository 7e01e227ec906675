/**
 * The optional library's macros (cel.OptionalTypes): `o.optMap(x, e)`, which is
 * `o.hasValue() ? optional.of(e with x = o.value()) : optional.none()`, and `o.optFlatMap(x, e)`,
 * the same whose `e` is an optional already. @bufbuild/cel parses them as plain member calls, so
 * `expandOptionalMacros` rewrites them into what cel-go's macros build: the binding of `x` is a
 * comprehension over an empty list whose accumulator is `x` (cel.bind's shape), and `o` appears
 * twice, as cel-go copies it. A variable that is no simple name is refused with cel-go's words.
 */
import type { parse } from '@bufbuild/cel';
import type { Issue } from './check.js';
import { Factory, mapChildren, maxId } from './comprehensions.js';

type Parsed = ReturnType<typeof parse>;
type Expr = Parsed['expr'];

const MACROS = new Set(['optMap', 'optFlatMap']);

/** Rewrites the optMap and optFlatMap calls of `parsed` (in place), new nodes placed at the call; returns the errors found. */
export function expandOptionalMacros(parsed: Parsed): Issue[] {
  const positions = (parsed.sourceInfo?.positions ?? {}) as Record<string, number>;
  const issues: Issue[] = [];
  let next = maxId(parsed.expr, 0n) + 1n;
  const at = (e: Expr) => Number(positions[String(e.id)] ?? 0);
  const visit = (e: Expr): Expr => {
    mapChildren(e, visit);
    const k = e.exprKind;
    if (k.case !== 'callExpr' || !k.value.target || !MACROS.has(k.value.function) || k.value.args.length !== 2) return e;
    const { function: fn, target, args } = k.value;
    const [variable, body] = args;
    if (variable.exprKind.case !== 'identExpr') {
      issues.push({ offset: at(variable), message: `${fn}() variable name must be a simple identifier` });
      return e;
    }
    const copy = structuredClone(target);
    const renumber = (x: Expr): Expr => {
      positions[String(next)] = at(x);
      x.id = next++;
      mapChildren(x, renumber);
      return x;
    };
    renumber(copy);
    const f = new Factory(next, positions, at(e));
    const bound = f.comprehension({
      range: f.list(),
      iterVar: '#unused',
      iterVar2: '',
      accuVar: variable.exprKind.value.name,
      init: f.member('value', copy),
      condition: f.bool(false),
      step: f.ident(variable.exprKind.value.name),
      result: body,
    });
    const present = fn === 'optMap' ? f.call('optional.of', bound) : bound;
    const out = f.call('_?_:_', f.member('hasValue', target), present, f.call('optional.none'));
    next = f.nextId;
    return out;
  };
  parsed.expr = visit(parsed.expr);
  return issues;
}
