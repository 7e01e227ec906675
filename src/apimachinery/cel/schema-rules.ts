/**
 * The checks a CRD's x-kubernetes-validations get when the CRD is written (apiextensions-apiserver's
 * ValidateCustomResourceDefinitionOpenAPISchema): per rule a non-empty rule, message and
 * messageExpression without line breaks, a supported reason and a valid fieldPath; then, where the
 * schema is structural and nothing at or below the node failed, each rule compiled against the
 * node's type (compile errors at `…x-kubernetes-validations[i].rule` with the rule as Go's %#v
 * prints it), oldSelf refused below a list that is not a list-type map, optionalOldSelf refused
 * without oldSelf. Children are checked before their parent, as upstream recurses first.
 * Cost limits are not estimated: a rule's cost is bounded only by the size of the object.
 */
import { invalidValue, notSupported, required, type FieldError } from '../field-errors.js';
import { isPlainObject } from '../object.js';
import { additionalSchema, type JSONSchemaProps } from '../structural-schema/types.js';
import { compileRule, type ValidationRule } from './compile.js';
import { normalizedFieldPath } from './field-path.js';
import { celTypeOf } from './types.js';
import { rulesOf } from './validator.js';

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

function compileErrors(s: JSONSchemaProps, at: string, root: boolean, uncorrelatable: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const type = celTypeOf(s, root || s['x-kubernetes-embedded-resource'] === true);
  rulesOf(s).forEach((r, i) => {
    const ruleAt = `${at}.x-kubernetes-validations[${i}]`;
    const compiled = compileRule(r, type);
    if (compiled.error) errs.push(invalidValue(`${ruleAt}.rule`, goRule(r), compiled.error));
    if (compiled.messageExpressionError) errs.push(invalidValue(`${ruleAt}.messageExpression`, goRule(r), compiled.messageExpressionError));
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
function walk(s: JSONSchemaProps, at: string, root: boolean, celContext: boolean, uncorrelatable: string | undefined): Errors {
  const out: Errors = { schema: [], cel: [] };
  const add = (e: Errors) => {
    out.schema.push(...e.schema);
    out.cel.push(...e.cel);
  };
  const extra = additionalSchema(s);
  if (extra) add(walk(extra, `${at}.additionalProperties`, false, celContext, uncorrelatable));
  for (const name of Object.keys(s.properties ?? {}).sort()) {
    const prop = s.properties![name];
    if (isPlainObject(prop)) add(walk(prop, `${at}.properties[${name}]`, false, celContext, uncorrelatable));
  }
  if (isPlainObject(s.not)) add(walk(s.not, `${at}.not`, false, false, uncorrelatable));
  for (const [key, list] of [
    ['allOf', s.allOf],
    ['oneOf', s.oneOf],
    ['anyOf', s.anyOf],
  ] as const) {
    (list ?? []).forEach((sub, i) => isPlainObject(sub) && add(walk(sub, `${at}.${key}[${i}]`, false, false, uncorrelatable)));
  }
  if (isPlainObject(s.items)) {
    const itemsUncorrelatable = uncorrelatable ?? (s['x-kubernetes-list-type'] === 'map' ? undefined : at);
    add(walk(s.items, `${at}.items`, false, celContext, itemsUncorrelatable));
  }
  if (rulesOf(s).length) {
    out.schema.push(...ruleFieldErrors(s, at));
    if (!out.schema.length && celContext) out.cel.push(...compileErrors(s, at, root, uncorrelatable));
  }
  return out;
}

/**
 * The errors of the x-kubernetes-validations in a version's `openAPIV3Schema` at `at`; `structural`
 * says whether the schema passed the structural checks (rules are compiled only then).
 */
export function validateSchemaRules(schema: JSONSchemaProps, at: string, structural: boolean): FieldError[] {
  const errs = walk(schema, at, true, structural, undefined);
  return [...errs.schema, ...errs.cel];
}
