/**
 * CEL, loaded on the first schema that has x-kubernetes-validations rules: the CEL packages are a
 * fifth of the bundle and plan an expression when loaded, and a start with no such schema never
 * needs them. Their callers are synchronous (a write validates as it runs), so the rules are a
 * CommonJS module loaded with `require`: dist/cel-rules.cjs beside the bundle (scripts/bundle.ts
 * makes it), or rules.ts from the sources (run with tsx, which loads TypeScript through `require` too).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { JSONSchemaProps } from '../structural-schema/types.js';
import type * as Rules from './rules.js';

let rules: typeof Rules | undefined;

/** The rules' module, loaded on the first call. */
export function celRules(): typeof Rules {
  if (!rules) {
    const built = fileURLToPath(new URL('./cel-rules.cjs', import.meta.url));
    const load = createRequire(import.meta.url);
    rules = load(existsSync(built) ? built : './rules.ts') as typeof Rules;
  }
  return rules;
}

/** Whether a schema may hold rules anywhere in it (a key named x-kubernetes-validations): without one, no CEL is needed. */
export function mayHaveRules(schema: JSONSchemaProps | undefined): boolean {
  return schema !== undefined && JSON.stringify(schema).includes('"x-kubernetes-validations":');
}
