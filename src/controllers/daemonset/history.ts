/**
 * ControllerRevisions of a DaemonSet (constructHistory / snapshot / cleanupHistory): one per
 * distinct template, reused and renumbered on rollback, old ones pruned beyond the history limit.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { StatusError } from '../../apimachinery/status.js';
import type { ResourceStore } from '../../registry/store.js';
import { canonicalJson, computeHash } from './history-hash.js';
import { REVISION_HASH_LABEL } from './pod-state.js';
import { daemonSetRef } from './claim.js';
import type { StoredControllerRevision, StoredDaemonSet, StoredPod } from '../../resources/stored.js';

/** Go's encoding of a generic map: keys sorted at every level (insertion order is what we serialise). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortedKeys(o[k]);
    return out;
  }
  return value;
}

/**
 * The template as Go's json.Marshal of a PodTemplateSpec yields it: `metadata.creationTimestamp`
 * is never omitted (null when unset); the rest of the defaulted template is already in full form.
 */
function goTemplate(template: unknown): Record<string, unknown> {
  const t = { ...((template ?? {}) as Record<string, unknown>) };
  const metadata = { ...((t.metadata ?? {}) as Record<string, unknown>) };
  if (metadata.creationTimestamp === undefined) metadata.creationTimestamp = null;
  t.metadata = metadata;
  return t;
}

/**
 * The revision data kubectl rollout relies on (getPatch): `{"spec":{"template":<template + "$patch":"replace">}}`
 * with keys sorted at every level, so the bytes the API serves equal kubectl's own getDaemonSetPatch
 * of the DaemonSet and `rollout undo` can report "skipped rollback" as on a cluster.
 */
export function revisionData(ds: StoredDaemonSet): Record<string, unknown> {
  return sortedKeys({ spec: { template: { ...goTemplate(ds.spec.template), $patch: 'replace' } } }) as Record<string, unknown>;
}

/**
 * revisionMatches' answers by template and revision object: a DaemonSet's pass asks it of every
 * revision each time, and the cached objects it is asked about never change (a status write keeps
 * the template object), so the canonical encodings are made once per pair, not per pass.
 */
const matches = new WeakMap<object, WeakMap<object, boolean>>();

/** Match(ds, history): the stored data equals getPatch(ds) (compared canonically). */
export function revisionMatches(ds: StoredDaemonSet, cr: StoredControllerRevision): boolean {
  let byRevision = matches.get(ds.spec.template);
  const known = byRevision?.get(cr);
  if (known !== undefined) return known;
  const data = cr.data as { spec?: { template?: unknown } } | undefined;
  let result = false;
  if (data?.spec?.template) {
    const stored = { ...data, spec: { ...data.spec, template: goTemplate(data.spec.template) } };
    result = canonicalJson(stored) === canonicalJson(revisionData(ds));
  }
  if (!byRevision) matches.set(ds.spec.template, (byRevision = new WeakMap()));
  byRevision.set(cr, result);
  return result;
}

export interface History {
  current: StoredControllerRevision;
  old: StoredControllerRevision[];
  hash: string;
}

/** Outcome when the snapshot collided with another template's name: the status must move first. */
export class HashCollision extends Error {
  constructor(
    message: string,
    /** The collisionCount the colliding hash was computed with. */
    readonly collisionCount: number | undefined,
  ) {
    super(message);
  }
}

export interface HistoryHooks {
  /** dedupCurHistories: relabels every pod whose hash label differs from the kept revision's. */
  relabelPods?(toHash: string): void;
}

export function constructHistory(
  ds: StoredDaemonSet,
  owned: StoredControllerRevision[],
  store: ResourceStore<StoredControllerRevision>,
  hooks: HistoryHooks = {},
): History {
  // Legacy repair: every revision carries its hash label (its name when missing), as upstream.
  const histories = owned.map((h) => {
    if (h.metadata.labels?.[REVISION_HASH_LABEL] !== undefined) return h;
    try {
      return store.patch(h.metadata.namespace, h.metadata.name!, (cr) => ({
        ...cr,
        metadata: { ...cr.metadata, labels: { ...(cr.metadata.labels ?? {}), [REVISION_HASH_LABEL]: cr.metadata.name! } },
      })).object as StoredControllerRevision;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return h;
      throw e;
    }
  });
  const matching = histories.filter((h) => revisionMatches(ds, h));
  const old = histories.filter((h) => !revisionMatches(ds, h));
  const nextRevision = Math.max(0, ...old.map((h) => h.revision)) + 1;
  let current: StoredControllerRevision;
  if (matching.length === 0) {
    current = snapshot(ds, nextRevision, store);
  } else {
    // dedupCurHistories: keep the highest revision, move pods of the others onto its hash, delete the others.
    matching.sort((a, b) => b.revision - a.revision);
    current = matching[0]!;
    const keptHash = current.metadata.labels?.[REVISION_HASH_LABEL] ?? current.metadata.name!;
    const dups = matching.slice(1);
    if (dups.length) {
      hooks.relabelPods?.(keptHash);
      for (const dup of dups) deleteIgnoringMissing(store, dup);
    }
    // A rollback moves the matching old revision to the top: same name and hash, new number.
    // Only the number changes (annotations such as kubernetes.io/change-cause are not refreshed).
    if (current.revision < nextRevision) {
      current = store.patch(current.metadata.namespace, current.metadata.name!, (cr) => ({ ...cr, revision: nextRevision }))
        .object as StoredControllerRevision;
    }
  }
  const hash = current.metadata.labels?.[REVISION_HASH_LABEL] ?? current.metadata.name!;
  return { current, old, hash };
}

function snapshot(ds: StoredDaemonSet, revision: number, store: ResourceStore<StoredControllerRevision>): StoredControllerRevision {
  const hash = computeHash(ds.spec.template, ds.status?.collisionCount);
  const name = `${ds.metadata.name}-${hash}`;
  const cr: StoredControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: ds.metadata.namespace,
      labels: { ...(ds.spec.template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      annotations: { ...(ds.metadata.annotations ?? {}) },
      ownerReferences: [daemonSetRef(ds)],
    },
    data: revisionData(ds),
    revision,
  };
  if (!Object.keys(cr.metadata.annotations!).length) delete cr.metadata.annotations;
  try {
    return store.create(cr).object as StoredControllerRevision;
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 409)) throw e;
    const existing = store.get(ds.metadata.namespace, name);
    if (revisionMatches(ds, existing)) return existing;
    throw new HashCollision(`hash collision for ${name}`, ds.status?.collisionCount);
  }
}

/** Deletes the oldest unused revisions beyond revisionHistoryLimit. */
export function cleanupHistory(
  ds: StoredDaemonSet,
  old: StoredControllerRevision[],
  pods: StoredPod[],
  store: ResourceStore<StoredControllerRevision>,
): void {
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

function deleteIgnoringMissing(store: ResourceStore<StoredControllerRevision>, obj: KubeObject): void {
  try {
    store.delete(obj.metadata.namespace, obj.metadata.name!);
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}
