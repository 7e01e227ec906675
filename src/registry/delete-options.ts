/** metav1.DeleteOptions as a DELETE carries them (body or query), validated as upstream. */
import { invalid, badRequest } from '../apimachinery/status.js';
import { invalidValue, notSupported, type FieldError } from '../apimachinery/field-errors.js';
import { isPlainObject } from '../apimachinery/object.js';
import { firstValues, parseQueryBool, parseQueryInt64, queryValues, type RawQuery } from '../apimachinery/query-params.js';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  dryRun?: string[];
}

const POLICIES = ['Foreground', 'Background', 'Orphan'];

/** An integer of the body's options. */
function toInt(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${field}: ${String(v)}`);
  return n;
}

/**
 * The options of a DELETE: from its body when it has one, else from its query (kube-apiserver reads
 * one or the other, never both: a body's options are not completed from the query).
 */
export function parseDeleteOptions(body: unknown, rawQuery: RawQuery): DeleteOptions {
  const b = isPlainObject(body) ? body : {};
  const fromQuery: RawQuery = body === undefined ? rawQuery : {};
  const query = firstValues(fromQuery);
  const opts: DeleteOptions = {};
  const policy = b.propagationPolicy ?? query.propagationPolicy;
  if (policy !== undefined && policy !== null && policy !== '') opts.propagationPolicy = policy as PropagationPolicy;
  const grace = body === undefined ? parseQueryInt64(fromQuery.gracePeriodSeconds) : toInt(b.gracePeriodSeconds, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  if (typeof b.orphanDependents === 'boolean') opts.orphanDependents = b.orphanDependents;
  else if (query.orphanDependents !== undefined) opts.orphanDependents = parseQueryBool(query.orphanDependents);
  if (isPlainObject(b.preconditions)) opts.preconditions = b.preconditions;
  const dryRun = b.dryRun ?? (fromQuery.dryRun === undefined ? undefined : queryValues(fromQuery.dryRun));
  if (dryRun !== undefined) opts.dryRun = Array.isArray(dryRun) ? (dryRun as string[]) : [String(dryRun)];
  const errors: FieldError[] = [];
  if (opts.propagationPolicy !== undefined && !POLICIES.includes(opts.propagationPolicy)) {
    errors.push(notSupported('propagationPolicy', opts.propagationPolicy, [...POLICIES, 'nil']));
  }
  if (opts.propagationPolicy !== undefined && opts.orphanDependents !== undefined) {
    errors.push(invalidValue('propagationPolicy', opts.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
  if (errors.length) throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errors);
  return opts;
}

/** The policy in effect: explicit policy, else the deprecated orphanDependents, else Background. */
export function effectivePolicy(opts: DeleteOptions): PropagationPolicy {
  if (opts.propagationPolicy) return opts.propagationPolicy;
  if (opts.orphanDependents === true) return 'Orphan';
  return 'Background';
}
