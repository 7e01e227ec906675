/**
 * A rule's `fieldPath` (apiextensions-apiserver's ValidFieldPath): a JSON path of `.field` and
 * `['key']` steps that names properties the schema declares or keys of its maps, normalized to a
 * field path (`.spec.labels['a.b']` → `spec.labels[a.b]`). Undefined when it is not valid.
 */
import { additionalSchema, type JSONSchemaProps } from '../structural-schema/types.js';

const STEP = /^(?:\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\])/;
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', "'": "'", '\\': '\\' };

export function normalizedFieldPath(jsonPath: string, schema: JSONSchemaProps): string | undefined {
  let rest = jsonPath;
  let s: JSONSchemaProps | undefined = schema;
  let out = '';
  while (rest) {
    const m = STEP.exec(rest);
    if (!m || !s) return undefined;
    rest = rest.slice(m[0].length);
    let name = m[1];
    if (name === undefined) {
      let bad = false;
      name = m[2].replace(/\\(.)/g, (_all, c: string) => ESCAPES[c] ?? ((bad = true), ''));
      if (bad) return undefined;
    }
    if (s.properties) {
      s = s.properties[name];
      if (!s) return undefined;
      out = out ? `${out}.${name}` : name;
    } else if (additionalSchema(s)) {
      s = additionalSchema(s);
      out = `${out}[${name}]`;
    } else return undefined;
  }
  return out;
}
