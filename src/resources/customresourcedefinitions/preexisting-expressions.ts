/**
 * The CEL expressions a CRD holds before an update (apiextensions-apiserver's
 * findPreexistingExpressions): the text of every x-kubernetes-validations rule, and of every
 * non-empty messageExpression, anywhere in any version's schema (properties, items, allOf/anyOf/
 * oneOf/not, additionalProperties, patternProperties, definitions, dependencies, additionalItems).
 * The update compiles these in the StoredExpressions environment, whatever node they sit on now.
 */
import type { PreexistingExpressions } from '../../apimachinery/cel/environments.js';
import { isPlainObject } from '../../apimachinery/object.js';
import type { JSONSchemaProps } from '../../apimachinery/structural-schema/types.js';
import type { CustomResourceDefinition } from './schema.js';

/** The schemas directly below `s`, by the keywords that hold schemas. */
function subschemas(s: JSONSchemaProps): unknown[] {
  const out: unknown[] = [s.not, s.additionalProperties, s.additionalItems];
  out.push(...(Array.isArray(s.items) ? s.items : [s.items]));
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) out.push(...(s[key] ?? []));
  for (const key of ['properties', 'patternProperties', 'definitions', 'dependencies']) {
    if (isPlainObject(s[key])) out.push(...Object.values(s[key]));
  }
  return out;
}

function collect(s: unknown, into: { rules: Set<string>; messageExpressions: Set<string> }): void {
  if (!isPlainObject(s)) return;
  const schema = s as JSONSchemaProps;
  const rules = schema['x-kubernetes-validations'];
  for (const r of Array.isArray(rules) ? rules : []) {
    if (!isPlainObject(r)) continue;
    if (typeof r.rule === 'string') into.rules.add(r.rule);
    if (typeof r.messageExpression === 'string' && r.messageExpression) into.messageExpressions.add(r.messageExpression);
  }
  for (const sub of subschemas(schema)) collect(sub, into);
}

export function findPreexistingExpressions(old: CustomResourceDefinition): PreexistingExpressions {
  const found = { rules: new Set<string>(), messageExpressions: new Set<string>() };
  for (const v of old.spec.versions ?? []) collect(v.schema?.openAPIV3Schema, found);
  return found;
}
