/**
 * The namespaces/finalize write: it changes only spec.finalizers (the namespace controller removes
 * `kubernetes` once the namespace is empty); the HTTP route and the controller both use it.
 */
import type { WriteOptions } from '../../registry/store.js';
import type { Strategy } from '../../registry/resource-definition.js';
import { validateNamespaceFinalizeUpdate } from './validation.js';

/** Finalize keeps the status (and, like every subresource write, the metadata); spec.finalizers is validated. */
export const namespaceFinalizeStrategy: Strategy = {
  prepareForUpdate(ns, old) {
    ns.status = old.status;
  },
  // ValidateNamespaceFinalizeUpdate: ValidateObjectMetaUpdate, then the finalizers.
  validateUpdate: (ns, _old, meta) => [...meta.update(), ...validateNamespaceFinalizeUpdate(ns)],
};

export function finalizeWriteOptions(dryRun = false): WriteOptions {
  const opts: WriteOptions = { subresource: 'finalize', subresourceStrategy: namespaceFinalizeStrategy };
  if (dryRun) opts.dryRun = true;
  return opts;
}
