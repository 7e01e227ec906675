/**
 * What kubemock does with x-kubernetes-validations rules, as one module that load-rules.ts loads on
 * the first schema that has rules (and the build bundles as dist/cel-rules.cjs with the CEL packages).
 */
export { ruleValidator } from './validator.js';
export { validateSchemaRules } from './schema-rules.js';
