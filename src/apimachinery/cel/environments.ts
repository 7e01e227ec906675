/**
 * The two CEL environments of a 1.33 kube-apiserver (k8s.io/apiserver/pkg/cel/environment's
 * EnvSet). NewExpressions holds what the compatibility version (the binary's minor minus one: 1.32)
 * had: a rule a CRD write adds or changes compiles there, so a CRD that a 1.32 server in the same
 * cluster could not run is refused. StoredExpressions holds everything the binary has (1.33's
 * semver library too): rules when objects are validated, and on a CRD update the rules and
 * messageExpressions whose text the old CRD already held, anywhere in any version's schema
 * (apiextensions-apiserver's preexisting expressions), so an upgrade never makes a stored CRD
 * unwritable. The compile-time literal checks (literal-checks.ts, since 1.29) are in both, and so are
 * cel-go's timestamp() and duration() conversions (time-conversions.ts), its timestamps' offsets
 * (timestamp-offsets.ts), its conversions of strings, bytes and doubles (scalar-conversions.ts) and
 * its strings extension where @bufbuild/cel's differs (string-ext.ts).
 */
import { celEnv, type CelEnv } from '@bufbuild/cel';
import { KUBERNETES_LIBRARY, SEMVER_LIBRARY } from './library.js';
import { OPTIONALS } from './optional.js';
import { COMPREHENSION_FUNCS } from './comprehensions.js';
import { METER_FUNCS } from './runtime-cost.js';
import { TIME_CONVERSIONS } from './time-conversions.js';
import { TIMESTAMP_OFFSET_FUNCS } from './timestamp-offsets.js';
import { SCALAR_CONVERSIONS } from './scalar-conversions.js';
import { STRING_EXT_FUNCS } from './string-ext.js';

export type EnvironmentType = 'NewExpressions' | 'StoredExpressions';

const SHARED = [
  ...KUBERNETES_LIBRARY,
  ...OPTIONALS,
  ...COMPREHENSION_FUNCS,
  ...METER_FUNCS,
  ...TIME_CONVERSIONS,
  ...TIMESTAMP_OFFSET_FUNCS,
  ...SCALAR_CONVERSIONS,
  ...STRING_EXT_FUNCS,
];

const ENVIRONMENTS: Record<EnvironmentType, CelEnv> = {
  NewExpressions: celEnv({ funcs: SHARED }),
  StoredExpressions: celEnv({ funcs: [...SHARED, ...SEMVER_LIBRARY] }),
};

export const celEnvironment = (type: EnvironmentType): CelEnv => ENVIRONMENTS[type];

/** The rules and messageExpressions (their exact text) an old CRD held, on update. */
export interface PreexistingExpressions {
  rules: ReadonlySet<string>;
  messageExpressions: ReadonlySet<string>;
}

/** Which environment compiles a rule and which its messageExpression (upstream's EnvLoader). */
export interface EnvironmentChoice {
  rule(source: string): EnvironmentType;
  messageExpression(source: string): EnvironmentType;
}

/** Validating objects: every rule in StoredExpressions. */
export const STORED_EXPRESSIONS: EnvironmentChoice = {
  rule: () => 'StoredExpressions',
  messageExpression: () => 'StoredExpressions',
};

/** Writing a CRD: NewExpressions, but StoredExpressions for what an update finds already in the old CRD. */
export function crdWriteEnvironments(preexisting: PreexistingExpressions | undefined): EnvironmentChoice {
  return {
    rule: (source) => (preexisting?.rules.has(source) ? 'StoredExpressions' : 'NewExpressions'),
    messageExpression: (source) => (preexisting?.messageExpressions.has(source) ? 'StoredExpressions' : 'NewExpressions'),
  };
}
