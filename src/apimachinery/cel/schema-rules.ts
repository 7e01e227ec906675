/**
 * The checks a CRD's x-kubernetes-validations get when the CRD is written (apiextensions-apiserver's
 * ValidateCustomResourceDefinitionOpenAPISchema): per rule a non-empty rule, message and
 * messageExpression without line breaks, a supported reason and a valid fieldPath; then, where the
 * schema is structural and nothing at or below the node failed, each rule compiled against the
 * node's type (compile errors at `…x-kubernetes-validations[i].rule` with the rule as Go's %#v
 * prints it), oldSelf refused below a list that is not a list-type map, optionalOldSelf refused
 * without oldSelf. Children are checked before their parent, as upstream recurses first.
 * Each compiled rule's estimated cost (see cost-estimate.ts) times the most times it can run (the
 * product of maxItems / maxProperties above it, or, below an unbounded list or map, how many of its
 * node fit in a request) must stay within the per-expression budget (a messageExpression's own
 * cost likewise), and all of them together within the schema's; the per-expression check is
 * skipped for a version whose schema an update leaves unchanged, as upstream does. Rules compile
 * in the NewExpressions environment, those an update finds in the old CRD in StoredExpressions.
 */
import { forbiddenField, invalidValue, notSupported, required, type FieldError } from '../field-errors.js';
import { isPlainObject } from '../object.js';
import { additionalSchema, type JSONSchemaProps } from '../structural-schema/types.js';
import { compileRule, type ValidationRule } from './compile.js';
import { crdWriteEnvironments, type EnvironmentChoice, type PreexistingExpressions } from './environments.js';
import { normalizedFieldPath } from './field-path.js';
import { celTypeOf } from './types.js';
import { rulesOf } from './validator.js';
import { declSizes, maxCardinality, type DeclSize } from './decl-sizes.js';
import { STATIC_ESTIMATED_COST_LIMIT, STATIC_ESTIMATED_CRD_COST_LIMIT, costExceededMessage, timesCardinality } from './cost-limits.js';

const REASONS = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

const goString = (s: string | undefined) => JSON.stringify(s ?? '');
const goPointer = (present: boolean, type: string) => `(*${type})(${present ? '0xc000000000' : 'nil'})`;

/** Go's %#v of an apiextensions.ValidationRule (pointers print as an address or nil). */
function goRule(r: ValidationRule): { go: string } {
  return {
    go:
      `apiextensions.ValidationRule{Rule:${goString(r.rule)}, Message:${goString(r.message)}, ` +
      `MessageExpression:${goString(r.messageExpression)}, Reason:${goPointer(r.reason !== undefined, 'apiextensions.FieldValueErrorReason')}, ` +
      `FieldPath:${goString(r.fieldPath)}, OptionalOldSelf:${goPointer(r.optionalOldSelf !== undefined, 'bool')}}`,
  };
}

const hasNewlines = (s: string) => /[\n\r]/.test(s);

interface Errors {
  schema: FieldError[];
  cel: FieldError[];
}

/** The estimated costs of a schema's rules: the sum, and the (at most 4) costliest that count. */
interface TotalCost {
  total: number;
  costliest: { path: string; cost: number }[];
}

/** What a node's rules' costs are checked with: how often the node can occur (undefined: unbounded), the schema's total. */
interface CostContext {
  cardinality: number | undefined;
  total: TotalCost;
  suppressPerExpression: boolean;
  /** Not a cost, but as constant through the walk: each expression's environment. */
  envs: EnvironmentChoice;
}

function observe(t: TotalCost, path: string, cost: number): void {
  t.total = Math.min(t.total + cost, 2 ** 64);
  if (cost < STATIC_ESTIMATED_CRD_COST_LIMIT / 100) return;
  t.costliest.push({ path, cost });
  t.costliest.sort((a, b) => b.cost - a.cost);
  t.costliest.length = Math.min(t.costliest.length, 4);
}

/** How many of each child one value of `s` holds: maxItems or maxProperties (undefined without), 1 for an object's fields. */
function childrenPerValue(s: JSONSchemaProps): number | undefined {
  if (s.type === 'array') return s.maxItems === undefined ? undefined : Math.max(0, s.maxItems);
  if (s.type === 'object' && s.additionalProperties !== undefined) {
    return s.maxProperties === undefined ? undefined : Math.max(0, s.maxProperties);
  }
  return 1;
}

function childCost(c: CostContext, parent: JSONSchemaProps): CostContext {
  const per = childrenPerValue(parent);
  const cardinality = c.cardinality === undefined || per === undefined ? undefined : timesCardinality(c.cardinality, per);
  return { ...c, cardinality };
}

/** A node CEL does not see still compiles with dyn; it bounds nothing. */
const NO_SIZES: DeclSize = { maxElements: 0, minSerializedSize: 0 };

function ruleFieldErrors(s: JSONSchemaProps, at: string): FieldError[] {
  const errs: FieldError[] = [];
  rulesOf(s).forEach((r, i) => {
    const ruleAt = `${at}.x-kubernetes-validations[${i}]`;
    const rule = (r.rule ?? '').trim();
    const message = (r.message ?? '').trim();
    if (!rule) errs.push(required(`${ruleAt}.rule`, 'rule is not specified'));
    else if (r.message && !message) errs.push(invalidValue(`${ruleAt}.message`, r.message, 'must be non-empty if specified'));
    else if (hasNewlines(message)) errs.push(invalidValue(`${ruleAt}.message`, r.message, 'must not contain line breaks'));
    else if (hasNewlines(rule) && !message)
      errs.push(required(`${ruleAt}.message`, 'message must be specified if rule contains line breaks'));
    if (r.messageExpression && !r.messageExpression.trim()) {
      errs.push(required(`${ruleAt}.messageExpression`, 'messageExpression must be non-empty if specified'));
    }
    if (r.reason !== undefined && !REASONS.includes(r.reason)) errs.push(notSupported(`${ruleAt}.reason`, r.reason, REASONS));
    if (r.fieldPath && !r.fieldPath.trim()) errs.push(invalidValue(`${ruleAt}.fieldPath`, r.fieldPath, 'must be non-empty if specified'));
    if (r.fieldPath && hasNewlines(r.fieldPath))
      errs.push(invalidValue(`${ruleAt}.fieldPath`, r.fieldPath, 'must not contain line breaks'));
    if (r.fieldPath && normalizedFieldPath(r.fieldPath, s) === undefined) {
      errs.push(invalidValue(`${ruleAt}.fieldPath`, r.fieldPath, 'must be a valid path'));
    }
  });
  return errs;
}

function compileErrors(s: JSONSchemaProps, at: string, root: boolean, uncorrelatable: string | undefined, cost: CostContext): FieldError[] {
  const errs: FieldError[] = [];
  const resourceRoot = root || s['x-kubernetes-embedded-resource'] === true;
  const type = celTypeOf(s, resourceRoot);
  const sizes = declSizes(s, resourceRoot) ?? NO_SIZES;
  const cardinality = cost.cardinality ?? maxCardinality(sizes.minSerializedSize);
  const checkCost = (field: string, what: string, expressionCost: number) => {
    if (!cost.suppressPerExpression && expressionCost > STATIC_ESTIMATED_COST_LIMIT) {
      errs.push(forbiddenField(field, costExceededMessage(what, expressionCost, STATIC_ESTIMATED_COST_LIMIT)));
    }
    observe(cost.total, field, expressionCost);
  };
  rulesOf(s).forEach((r, i) => {
    const ruleAt = `${at}.x-kubernetes-validations[${i}]`;
    const compiled = compileRule(r, type, sizes, cost.envs);
    checkCost(`${ruleAt}.rule`, 'estimated rule cost', timesCardinality(compiled.maxCost ?? 0, cardinality));
    if (compiled.error) errs.push(invalidValue(`${ruleAt}.rule`, goRule(r), compiled.error));
    if (compiled.messageExpressionError) errs.push(invalidValue(`${ruleAt}.messageExpression`, goRule(r), compiled.messageExpressionError));
    else if (compiled.messageExpression) {
      checkCost(`${ruleAt}.messageExpression`, 'estimated messageExpression cost', compiled.messageExpressionMaxCost ?? 0);
    }
    if (compiled.usesOldSelf) {
      if (uncorrelatable !== undefined) {
        errs.push(
          invalidValue(
            `${ruleAt}.rule`,
            r.rule,
            `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`,
          ),
        );
      }
    } else if (r.optionalOldSelf !== undefined) {
      errs.push(invalidValue(`${ruleAt}.optionalOldSelf`, r.optionalOldSelf, 'may not be set if oldSelf is not used in rule'));
    }
  });
  return errs;
}

/**
 * `celContext`: whether rules here are compiled (the schema is structural, and this node is on its
 * spine rather than inside allOf/anyOf/oneOf/not).
 */
function walk(
  s: JSONSchemaProps,
  at: string,
  root: boolean,
  celContext: boolean,
  uncorrelatable: string | undefined,
  cost: CostContext,
): Errors {
  const out: Errors = { schema: [], cel: [] };
  const add = (e: Errors) => {
    out.schema.push(...e.schema);
    out.cel.push(...e.cel);
  };
  const child = childCost(cost, s);
  const extra = additionalSchema(s);
  if (extra) add(walk(extra, `${at}.additionalProperties`, false, celContext, uncorrelatable, child));
  for (const name of Object.keys(s.properties ?? {}).sort()) {
    const prop = s.properties![name];
    if (isPlainObject(prop)) add(walk(prop, `${at}.properties[${name}]`, false, celContext, uncorrelatable, child));
  }
  if (isPlainObject(s.not)) add(walk(s.not, `${at}.not`, false, false, uncorrelatable, child));
  for (const [key, list] of [
    ['allOf', s.allOf],
    ['oneOf', s.oneOf],
    ['anyOf', s.anyOf],
  ] as const) {
    (list ?? []).forEach((sub, i) => isPlainObject(sub) && add(walk(sub, `${at}.${key}[${i}]`, false, false, uncorrelatable, child)));
  }
  if (isPlainObject(s.items)) {
    const itemsUncorrelatable = uncorrelatable ?? (s['x-kubernetes-list-type'] === 'map' ? undefined : at);
    add(walk(s.items, `${at}.items`, false, celContext, itemsUncorrelatable, child));
  }
  if (rulesOf(s).length) {
    out.schema.push(...ruleFieldErrors(s, at));
    if (!out.schema.length && celContext) out.cel.push(...compileErrors(s, at, root, uncorrelatable, cost));
  }
  return out;
}

export interface SchemaRulesOptions {
  /** An update that leaves this version's schema as it was: rules over the per-expression budget stay accepted. */
  suppressPerExpressionCost?: boolean;
  /** On update, the expressions the old CRD held: they compile in StoredExpressions. */
  preexisting?: PreexistingExpressions;
}

/**
 * The errors of the x-kubernetes-validations in a version's `openAPIV3Schema` at `at`; `structural`
 * says whether the schema passed the structural checks (rules are compiled, and their costs
 * checked, only then).
 */
export function validateSchemaRules(schema: JSONSchemaProps, at: string, structural: boolean, opts: SchemaRulesOptions = {}): FieldError[] {
  const total: TotalCost = { total: 0, costliest: [] };
  const cost: CostContext = {
    cardinality: 1,
    total,
    suppressPerExpression: opts.suppressPerExpressionCost === true,
    envs: crdWriteEnvironments(opts.preexisting),
  };
  const errs = walk(schema, at, true, structural, undefined, cost);
  const out = [...errs.schema, ...errs.cel];
  if (structural && total.total > STATIC_ESTIMATED_CRD_COST_LIMIT) {
    for (const { path } of total.costliest) {
      out.push(forbiddenField(path, 'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema'));
    }
    const what = 'x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema';
    out.push(forbiddenField(at, costExceededMessage(what, total.total, STATIC_ESTIMATED_CRD_COST_LIMIT)));
  }
  return out;
}
