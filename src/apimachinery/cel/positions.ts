/**
 * Places the nodes of a parsed expression where cel-go's parser places them, so that a checker
 * error points at the column kube-apiserver prints: a function call (global, member or qualified,
 * `size(x)`, `x.size()`, `sets.contains(a, b)`) and a macro (`all`, `has`…, and the nodes the macro
 * made) at its opening parenthesis, an operator at its first character. @bufbuild/cel places a
 * member call at its dot, a global call at its name and some operators at the blank before them.
 */
import type { parse } from '@bufbuild/cel';

type Parsed = ReturnType<typeof parse>;
type Expr = Parsed['expr'];

const NAMED = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** The offset of the `(` that follows `name` (after a leading dot, if any) at `offset` in `source`. */
function openParen(source: string, offset: number, name: string): number | undefined {
  const last = name.split('.').pop()!;
  const m = new RegExp(`^\\.?\\s*(?:[A-Za-z_][A-Za-z0-9_]*\\s*\\.\\s*)*${last}\\s*\\(`).exec(source.slice(offset));
  return m ? offset + m[0].length - 1 : undefined;
}

function each(e: Expr | undefined, f: (e: Expr) => void): void {
  if (!e) return;
  f(e);
  const k = e.exprKind;
  switch (k.case) {
    case 'selectExpr':
      return each(k.value.operand, f);
    case 'callExpr':
      each(k.value.target, f);
      return k.value.args.forEach((a) => each(a, f));
    case 'listExpr':
      return k.value.elements.forEach((x) => each(x, f));
    case 'structExpr':
      for (const en of k.value.entries) {
        if (en.keyKind.case === 'mapKey') each(en.keyKind.value, f);
        each(en.value, f);
      }
      return;
    case 'comprehensionExpr':
      for (const part of [k.value.iterRange, k.value.accuInit, k.value.loopCondition, k.value.loopStep, k.value.result]) each(part, f);
      return;
    default:
      return;
  }
}

/** Moves the positions of `parsed` (in place) to where cel-go puts them. */
export function placeLikeCelGo(parsed: Parsed, source: string): void {
  const positions = parsed.sourceInfo?.positions;
  if (!positions) return;
  const macros = parsed.sourceInfo?.macroCalls ?? {};
  // a call's (or macro's) recorded offset → its parenthesis; every node at that offset moves with it
  const moved = new Map<number, number>();
  const operators: Expr[] = [];
  each(parsed.expr, (e) => {
    const at = Number(positions[String(e.id)] ?? 0);
    const k = e.exprKind;
    let name: string | undefined;
    if (k.case === 'callExpr') name = k.value.function;
    const macro = macros[String(e.id)];
    if (macro?.exprKind.case === 'callExpr') name = macro.exprKind.value.function;
    if (name === undefined) return;
    if (!NAMED.test(name)) {
      operators.push(e);
      return;
    }
    const paren = openParen(source, at, name);
    if (paren !== undefined) moved.set(at, paren);
  });
  for (const [id, at] of Object.entries(positions)) {
    const to = moved.get(Number(at));
    if (to !== undefined) positions[id] = to;
  }
  for (const e of operators) {
    const id = String(e.id);
    let at = Number(positions[id] ?? 0);
    while (at < source.length && /\s/.test(source[at])) at++;
    positions[id] = at;
  }
}
