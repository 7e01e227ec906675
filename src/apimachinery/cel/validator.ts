/**
 * The x-kubernetes-validations of a structural schema, compiled once into a tree that parallels
 * the schema (apiextensions-apiserver's cel.Validator), and their evaluation against an object:
 * each node's rules with `self` (and, on update where the old value correlates, `oldSelf`), then
 * allOf, then map values, properties and list items. Failed rules become field errors as
 * upstream words them: the node's schema type as the value, `message`, `messageExpression` or
 * "failed rule: <rule>", `reason` choosing the error type and `fieldPath` extending the path; a
 * rule that errors reads "<error> evaluating rule: <rule>". Errors of a rule without oldSelf on a
 * value equal to its old one become warnings (CRD validation ratcheting). Each evaluation's cost is
 * counted as it runs (runtime-cost.ts): one that passes the per-call limit stops with upstream's
 * "call cost exceeds limit" error, and once the object's whole budget is spent the validation
 * stops with "running out of cost budget"; either way no further rule runs.
 */
import { isCelError, type CelResult } from '@bufbuild/cel';
import { deepEqual, isPlainObject } from '../object.js';
import { duplicate, errorString, forbiddenField, invalidValue, required, type FieldError } from '../field-errors.js';
import { additionalSchema, type JSONSchemaProps } from '../structural-schema/types.js';
import { compileRule, type Bindings, type CompiledRule, type Program, type ValidationRule } from './compile.js';
import { optionalOf } from './optional.js';
import { celTypeOf, type CelSchemaType } from './types.js';
import { toCel } from './values.js';
import { normalizedFieldPath } from './field-path.js';
import { PER_CALL_LIMIT, RUNTIME_CEL_COST_BUDGET } from './cost-limits.js';
import { COST_LIMIT_EXCEEDED, runMetered } from './runtime-cost.js';
import { celGoErrorText } from './runtime-errors.js';

interface RuleNode {
  schema: JSONSchemaProps;
  type: CelSchemaType;
  rules: (CompiledRule & { fieldPath?: string })[];
  properties: Map<string, RuleNode>;
  items?: RuleNode;
  additional?: RuleNode;
  allOf: RuleNode[];
}

export const rulesOf = (s: JSONSchemaProps): ValidationRule[] => (s['x-kubernetes-validations'] as ValidationRule[] | undefined) ?? [];

function hasRules(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  if (rulesOf(s).length) return true;
  if (hasRules(s.items) || hasRules(additionalSchema(s))) return true;
  return Object.values(s.properties ?? {}).some(hasRules) || (s.allOf ?? []).some(hasRules);
}

function build(s: JSONSchemaProps, resourceRoot: boolean, rulesFrom: JSONSchemaProps = s): RuleNode | undefined {
  if (!hasRules(rulesFrom)) return undefined;
  const type = celTypeOf(s, resourceRoot);
  const node: RuleNode = {
    schema: s,
    type,
    rules: rulesOf(rulesFrom).map((r) => ({
      ...compileRule(r, type),
      fieldPath: r.fieldPath ? normalizedFieldPath(r.fieldPath, s) : undefined,
    })),
    properties: new Map(),
    allOf: [],
  };
  for (const [name, prop] of Object.entries(rulesFrom.properties ?? {})) {
    const child = s.properties?.[name] && build(s.properties[name], s.properties[name]['x-kubernetes-embedded-resource'] === true, prop);
    if (child) node.properties.set(name, child);
  }
  // Rules come from `rulesFrom` (an allOf branch brings its own), types from the node's schema.
  const extra = additionalSchema(s);
  const extraRules = additionalSchema(rulesFrom);
  if (extra && extraRules) node.additional = build(extra, extra['x-kubernetes-embedded-resource'] === true, extraRules);
  if (s.items && rulesFrom.items) node.items = build(s.items, s.items['x-kubernetes-embedded-resource'] === true, rulesFrom.items);
  for (const sub of rulesFrom.allOf ?? []) {
    const n = build(s, resourceRoot, sub);
    if (n) node.allOf.push(n);
  }
  return node;
}

/** A path as field.Path prints it, the root (nil) as `<nil>`. */
const printed = (path: string) => path || '<nil>';
const child = (path: string, name: string) => (path ? `${path}.${name}` : name);

const ruleText = (r: ValidationRule) => (r.message?.length ? r.message.trim() : r.rule.trim());
const MAX_MESSAGE_BYTES = 5 * 1024;

/** The messageExpression's message, or undefined when it fails (upstream then uses the message). */
function evaluatedMessage(result: CelResult): string | undefined {
  if (typeof result !== 'string') return undefined;
  const msg = result.trim();
  if (!msg || /\n/.test(msg) || Buffer.byteLength(msg) > MAX_MESSAGE_BYTES) return undefined;
  return msg;
}

function errorFor(path: string, type: string, detail: string, reason: string | undefined): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return forbiddenField(printed(path), detail);
    case 'FieldValueRequired':
      return required(printed(path), detail);
    case 'FieldValueDuplicate':
      return duplicate(printed(path), type);
    default:
      return invalidValue(printed(path), type, detail);
  }
}

const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';

class Evaluation {
  readonly errors: FieldError[] = [];
  readonly warnings: string[] = [];
  /** What the object's rules may still spend; below 0 once an evaluation stopped the validation. */
  private remaining = RUNTIME_CEL_COST_BUDGET;

  node(n: RuleNode, path: string, value: unknown, old: unknown, parentEqual: boolean): void {
    if (value === null || value === undefined || this.remaining < 0) return;
    const equal = old !== undefined ? deepEqual(value, old) : parentEqual;
    this.rules(n, path, value, old, equal);
    for (const sub of n.allOf) this.node(sub, path, value, old, parentEqual);
    if (Array.isArray(value)) {
      if (!n.items) return;
      const oldItems = this.correlatedItems(n.schema, old);
      value.forEach((item, i) => this.node(n.items!, `${path}[${i}]`, item, oldItems(item), equal));
    } else if (isPlainObject(value)) {
      const oldMap = isPlainObject(old) ? old : undefined;
      if (n.additional) for (const [k, v] of Object.entries(value)) this.node(n.additional, `${path}[${k}]`, v, oldMap?.[k], equal);
      for (const [k, v] of Object.entries(value)) {
        const sub = n.properties.get(k);
        if (sub) this.node(sub, child(path, k), v, oldMap?.[k], equal);
      }
    }
  }

  /** Old list items correlate with new ones only in a list-type map, by their keys. */
  private correlatedItems(s: JSONSchemaProps, old: unknown): (item: unknown) => unknown {
    const keys = s['x-kubernetes-list-map-keys'];
    if (s['x-kubernetes-list-type'] !== 'map' || !keys?.length || !Array.isArray(old)) return () => undefined;
    const olds: unknown[] = old;
    return (item) => (isPlainObject(item) ? olds.find((o) => isPlainObject(o) && keys.every((k) => deepEqual(o[k], item[k]))) : undefined);
  }

  /** Evaluates `program` within the per-call limit and what remains of the budget; undefined once that stopped the validation. */
  private metered(
    program: Program,
    bindings: Bindings,
    at: string,
    type: string,
    overCallLimit: string,
    outOfBudget: string,
  ): CelResult | undefined {
    const run = runMetered(Math.min(PER_CALL_LIMIT, this.remaining), program.baseCost, () => program(bindings));
    if (run.cost > this.remaining || run.exceeded) {
      this.errors.push(invalidValue(printed(at), type, run.cost > this.remaining ? outOfBudget : overCallLimit));
      this.remaining = -1;
      return undefined;
    }
    this.remaining -= run.cost;
    return run.result;
  }

  private rules(n: RuleNode, path: string, value: unknown, old: unknown, equal: boolean): void {
    if (!n.rules.length) return;
    const type = typeof n.schema.type === 'string' ? n.schema.type : '';
    if (this.remaining <= 0) {
      this.errors.push(invalidValue(printed(path), type, OUT_OF_BUDGET));
      this.remaining = -1;
      return;
    }
    const self = toCel(value, n.type);
    const oldSelf = old === undefined ? undefined : toCel(old, n.type);
    for (const r of n.rules) {
      if (r.error) {
        this.errors.push(invalidValue(printed(path), type, `rule compile error: ${r.error}`));
        continue;
      }
      if (!r.program) continue;
      const optionalOld = r.rule.optionalOldSelf === true;
      if (r.usesOldSelf && oldSelf === undefined && !optionalOld) continue;
      const bindings = { self, oldSelf: optionalOld ? optionalOf(oldSelf) : oldSelf };
      const overCallLimit = `'${COST_LIMIT_EXCEEDED}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleText(r.rule)}`;
      const result = this.metered(r.program, bindings, path, type, overCallLimit, OUT_OF_BUDGET);
      if (result === undefined) return;
      if (isCelError(result)) {
        const msg = celGoErrorText(result.message, r.program.typeAt(result.exprId)?.kind);
        this.errors.push(
          invalidValue(
            printed(path),
            type,
            msg.startsWith('no such overload')
              ? `'${msg}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleText(r.rule)}`
              : `${msg} evaluating rule: ${ruleText(r.rule)}`,
          ),
        );
        continue;
      }
      if (result === true) continue;
      const at = r.fieldPath ? child(path, r.fieldPath) : path;
      let message: string | undefined;
      if (r.messageExpression) {
        const overCallLimit = `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(r.rule.messageExpression)}`;
        const outOfBudget =
          'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run';
        const result = this.metered(r.messageExpression, bindings, at, type, overCallLimit, outOfBudget);
        if (result === undefined) return;
        message = evaluatedMessage(result);
      }
      const detail = message || (r.rule.message?.length ? r.rule.message.trim() : `failed rule: ${ruleText(r.rule)}`);
      const error = errorFor(at, type, detail, r.rule.reason);
      if (!r.usesOldSelf && equal) this.warnings.push(errorString(error));
      else this.errors.push(error);
    }
  }
}

export interface RuleValidator {
  /** The rules' errors for `obj` (`old` on update and /status), and the ratcheted ones as warnings. */
  validate(obj: unknown, old?: unknown): { errors: FieldError[]; warnings: string[] };
}

/** The compiled rules of a custom resource's schema, or undefined when it has none. */
export function ruleValidator(root: JSONSchemaProps | undefined): RuleValidator | undefined {
  const tree = root && build(root, true);
  if (!tree) return undefined;
  return {
    validate(obj, old) {
      const e = new Evaluation();
      e.node(tree, '', obj, old, false);
      return { errors: e.errors, warnings: e.warnings };
    },
  };
}
