/**
 * ControllerRevisions of a DaemonSet (constructHistory / snapshot / cleanupHistory): one per
 * distinct template, reused and renumbered on rollback, old ones pruned beyond the history limit.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { StatusError } from '../../apimachinery/status.js';
import type { ResourceStore } from '../../registry/store.js';
import { canonicalJson, computeHash } from './history-hash.js';
import { REVISION_HASH_LABEL } from './pod-state.js';
import type { ControllerRevision, DaemonSet, Pod } from './types.js';

/** The revision data kubectl rollout relies on: the template under `$patch: replace`. */
export function revisionData(ds: DaemonSet): Record<string, unknown> {
  return { spec: { template: { ...ds.spec.template, $patch: 'replace' } } };
}

export function revisionMatches(ds: DaemonSet, cr: ControllerRevision): boolean {
  return canonicalJson(cr.data) === canonicalJson(revisionData(ds));
}

export interface History {
  current: ControllerRevision;
  old: ControllerRevision[];
  hash: string;
}

/** Outcome when the snapshot collided with another template's name: the status must move first. */
export class HashCollision extends Error {}

export function constructHistory(ds: DaemonSet, owned: ControllerRevision[], store: ResourceStore<ControllerRevision>): History {
  const matching = owned.filter((h) => revisionMatches(ds, h));
  const old = owned.filter((h) => !revisionMatches(ds, h));
  const nextRevision = Math.max(0, ...old.map((h) => h.revision)) + 1;
  let current: ControllerRevision;
  if (matching.length === 0) {
    current = snapshot(ds, nextRevision, store);
  } else {
    matching.sort((a, b) => b.revision - a.revision);
    current = matching[0]!;
    for (const dup of matching.slice(1)) deleteIgnoringMissing(store, dup);
    if (current.revision < nextRevision) {
      current = store.patch(current.metadata.namespace, current.metadata.name!, (cr) => ({ ...cr, revision: nextRevision })).object as ControllerRevision;
    }
  }
  const hash = current.metadata.labels?.[REVISION_HASH_LABEL] ?? current.metadata.name!;
  return { current, old, hash };
}

function snapshot(ds: DaemonSet, revision: number, store: ResourceStore<ControllerRevision>): ControllerRevision {
  const hash = computeHash(ds.spec.template, ds.status?.collisionCount);
  const name = `${ds.metadata.name}-${hash}`;
  const cr: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ds.metadata.namespace,
      labels: { ...(ds.spec.template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      annotations: { ...(ds.metadata.annotations ?? {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name!, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    data: revisionData(ds),
    revision,
  };
  try {
    return store.create(cr).object as ControllerRevision;
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 409)) throw e;
    const existing = store.get(ds.metadata.namespace, name);
    if (revisionMatches(ds, existing)) return existing;
    throw new HashCollision(`hash collision for ${name}`);
  }
}

/** Deletes the oldest unused revisions beyond revisionHistoryLimit. */
export function cleanupHistory(ds: DaemonSet, old: ControllerRevision[], pods: Pod[], store: ResourceStore<ControllerRevision>): void {
  let toKill = old.length - (ds.spec.revisionHistoryLimit ?? 10);
  if (toKill <= 0) return;
  const live = new Set(pods.map((p) => p.metadata.labels?.[REVISION_HASH_LABEL]));
  for (const h of [...old].sort((a, b) => a.revision - b.revision)) {
    if (toKill === 0) break;
    if (live.has(h.metadata.labels?.[REVISION_HASH_LABEL])) continue;
    deleteIgnoringMissing(store, h);
    toKill--;
  }
}

function deleteIgnoringMissing(store: ResourceStore<ControllerRevision>, obj: KubeObject): void {
  try {
    store.delete(obj.metadata.namespace, obj.metadata.name!);
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}
