/**
 * Compilation of one schema node's x-kubernetes-validations (apiextensions-apiserver's
 * cel.Compile): each rule parsed, checked against the node's CEL type in the environment chosen for
 * it (environments.ts), its literals checked (literal-checks.ts) and planned once, its
 * messageExpression likewise, with upstream's wording for what fails ("compilation failed: …",
 * "cel expression must evaluate to a bool", "messageExpression must evaluate to a string").
 */
import { celError, parse, plan, type CelResult } from '@bufbuild/cel';
import { checkExpression, formatIssues } from './check.js';
import { namedTypes, uniqueSelfTypeName, type CelSchemaType } from './types.js';
import { estimateCost } from './cost-estimate.js';
import type { DeclSize } from './decl-sizes.js';
import { meteredExpr } from './runtime-cost.js';
import { expandTwoVarMacros, lowerForPlanner } from './comprehensions.js';
import { applyOptionalMarks, blankOptionalMarks } from './optional-syntax.js';
import { lowerOptionals } from './optional-lowering.js';
import { separateIndexChains } from './index-chains.js';
import { expandOptionalMacros } from './optional-macros.js';
import { optionalType } from './optional-check.js';
import { placeLikeCelGo } from './positions.js';
import { literalIssues } from './literal-checks.js';
import { STORED_EXPRESSIONS, celEnvironment, type EnvironmentChoice, type EnvironmentType } from './environments.js';

/** One entry of x-kubernetes-validations (apiextensions ValidationRule). */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface Bindings {
  self: unknown;
  oldSelf?: unknown;
}

/**
 * A planned expression; its loops charge the meter of runtime-cost.ts, `baseCost` is the rest of
 * its cost, `typeAt` the checked type of an expression (by id, as a run-time error names one).
 */
export type Program = ((bindings: Bindings) => CelResult) & {
  baseCost: number;
  typeAt: (id: bigint | undefined) => CelSchemaType | undefined;
};

export interface CompiledRule {
  rule: ValidationRule;
  /** Absent for an empty rule (nothing to evaluate) or one that failed to compile. */
  program?: Program;
  usesOldSelf: boolean;
  error?: string;
  messageExpression?: Program;
  messageExpressionError?: string;
  /** The estimated worst-case cost of the rule (0 when it did not compile); only when compiled with the schema's sizes. */
  maxCost?: number;
  /** The same for the messageExpression. */
  messageExpressionMaxCost?: number;
}

type Compiled = { program: Program; usesOldSelf: boolean; resultType: CelSchemaType; cost: () => number } | { error: string };

/** A planned expression whose unexpected exceptions come back as CEL errors, never thrown. */
function guarded(run: (b: never) => CelResult, baseCost: number, types: ReadonlyMap<bigint, CelSchemaType>): Program {
  const program = (b: Bindings) => {
    try {
      return run(b as never);
    } catch (e) {
      return celError(e);
    }
  };
  return Object.assign(program, { baseCost, typeAt: (id: bigint | undefined) => (id === undefined ? undefined : types.get(id)) });
}

/**
 * Parse, check and plan `source` in the environment `envType` with `self` (and `oldSelf`) of type
 * `self`; `sizes` bounds `self` for the cost estimate.
 */
function compileExpression(
  source: string,
  envType: EnvironmentType,
  self: CelSchemaType,
  optionalOldSelf: boolean,
  sizes?: DeclSize,
): Compiled {
  const env = celEnvironment(envType);
  let parsed: ReturnType<typeof parse>;
  // the optional syntax's `?`s blanked for @bufbuild/cel's parser, every other character in place
  const { text, marks } = blankOptionalMarks(source);
  try {
    parsed = parse(text);
  } catch (e) {
    const err = e as Error & { location?: { start?: { offset?: number } }; rawMessage?: string };
    const offset = err.location?.start?.offset ?? 0;
    const message = err.rawMessage ?? err.message.replace(/^<input>:\d+:\d+: /, '');
    return { error: formatIssues(source, [{ offset, message: `Syntax error: ${message}` }]) };
  }
  const scope = new Map([
    ['self', self],
    ['oldSelf', optionalOldSelf ? optionalType(self) : self],
  ]);
  try {
    const syntaxIssues = applyOptionalMarks(parsed, marks);
    if (syntaxIssues.length) return { error: formatIssues(source, syntaxIssues) };
    placeLikeCelGo(parsed, text);
    const macroIssues = [...expandTwoVarMacros(parsed), ...expandOptionalMacros(parsed)];
    if (macroIssues.length) return { error: formatIssues(source, macroIssues) };
    const checked = checkExpression(env, parsed, scope);
    if (checked.issues.length) return { error: formatIssues(source, checked.issues) };
    const literals = literalIssues(parsed.expr, checked.types, positionsOf(parsed));
    if (literals.length) return { error: formatIssues(source, literals) };
    const metered = meteredExpr(parsed.expr, checked.types);
    const lowered = lowerOptionals(metered.expr, checked.types);
    const separated = separateIndexChains(lowered, checked.types);
    const run = plan(env, lowerForPlanner(lowered));
    const cost = () => estimateCost(parsed.expr, checked.types, sizes).max;
    return {
      program: guarded(run, metered.baseCost, new Map([...checked.types, ...separated])),
      usesOldSelf: checked.usesOldSelf,
      resultType: checked.resultType,
      cost,
    };
  } catch (e) {
    return { error: formatIssues(source, [{ offset: 0, message: (e as Error).message }]) };
  }
}

const positionsOf = (parsed: ReturnType<typeof parse>) =>
  Object.fromEntries(Object.entries(parsed.sourceInfo?.positions ?? {}).map(([k, v]) => [k, Number(v)]));

/**
 * One rule compiled for a node whose `self` has type `self`; with `sizes` (the node's size bounds,
 * when a CRD is written) also the estimated costs of the rule and its messageExpression. `envs`
 * chooses each expression's environment: StoredExpressions unless a CRD write says otherwise.
 */
export function compileRule(
  rule: ValidationRule,
  self: CelSchemaType,
  sizes?: DeclSize,
  envs: EnvironmentChoice = STORED_EXPRESSIONS,
): CompiledRule {
  const out: CompiledRule = { rule, usesOldSelf: false };
  if (!rule.rule?.trim()) return out;
  // self's object types with the names cel-go's messages give them
  const named = namedTypes(self, uniqueSelfTypeName());
  const estimate = sizes !== undefined;
  const compiled = compileExpression(rule.rule, envs.rule(rule.rule), named, rule.optionalOldSelf === true, sizes);
  if ('error' in compiled) return { ...out, error: `compilation failed: ${compiled.error}` };
  if (compiled.resultType.kind !== 'bool' && compiled.resultType.kind !== 'dyn') {
    return { ...out, error: 'cel expression must evaluate to a bool' };
  }
  out.program = compiled.program;
  out.usesOldSelf = compiled.usesOldSelf;
  if (estimate) out.maxCost = compiled.cost();
  if (rule.messageExpression) {
    const messageEnv = envs.messageExpression(rule.messageExpression);
    const message = compileExpression(rule.messageExpression, messageEnv, named, rule.optionalOldSelf === true, sizes);
    if ('error' in message) out.messageExpressionError = `messageExpression compilation failed: ${message.error}`;
    else if (message.resultType.kind !== 'string' && message.resultType.kind !== 'dyn') {
      out.messageExpressionError = 'messageExpression must evaluate to a string';
    } else {
      out.messageExpression = message.program;
      if (estimate) out.messageExpressionMaxCost = message.cost();
    }
  }
  return out;
}
