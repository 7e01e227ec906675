/**
 * A replica's copy of the keys under its etcd prefix, as kube-apiserver's watch cache keeps one:
 * loaded by one range read at start, then moved on by the replica's own committed writes, the
 * watch that brings its peers' writes, and the fresh values a failed compare-and-swap reads back.
 * Each key keeps its mod revision, so a late watch event never overwrites a newer value, and a
 * deleted key keeps the revision it went at (a tombstone) until the watch has passed it.
 * Reads of the current state are answered from here without a round trip; writes still compare
 * in etcd, so a value a peer has just changed costs a failed compare-and-swap, not a lost write.
 */
import type { EtcdKv } from './etcd-protocol.js';

export interface MirroredKey {
  value: string;
  mod: number;
  created: number;
}

export class KeyMirror {
  /** Keys by their folder (everything up to the last `/`), then by the rest. */
  private readonly folders = new Map<string, Map<string, MirroredKey>>();
  /** Deleted keys and the revision they went at, until the watch passes it. */
  private readonly tombstones = new Map<string, number>();
  /** The same, in the order they were recorded (about revision order), for `settle`. */
  private tombstoneQueue: { key: string; revision: number }[] = [];

  /** Puts a value seen at `kv.mod` unless a newer value or delete of the key is known. */
  put(kv: EtcdKv & { value: string }): void {
    const { folder, leaf } = split(kv.key);
    const known = this.folders.get(folder)?.get(leaf);
    if (known && known.mod >= kv.mod) return;
    const gone = this.tombstones.get(kv.key);
    if (gone !== undefined) {
      if (gone >= kv.mod) return;
      this.tombstones.delete(kv.key);
    }
    let keys = this.folders.get(folder);
    if (!keys) this.folders.set(folder, (keys = new Map<string, MirroredKey>()));
    keys.set(leaf, { value: kv.value, mod: kv.mod, created: kv.created });
  }

  /** Removes a key deleted at `revision` unless it was written again later. */
  delete(key: string, revision: number): void {
    const { folder, leaf } = split(key);
    const keys = this.folders.get(folder);
    const known = keys?.get(leaf);
    if (known && known.mod > revision) return;
    keys?.delete(leaf);
    if (keys?.size === 0) this.folders.delete(folder);
    if ((this.tombstones.get(key) ?? 0) < revision) {
      this.tombstones.set(key, revision);
      this.tombstoneQueue.push({ key, revision });
    }
  }

  /** Forgets tombstones at or below `revision` (the watch has delivered everything up to it). */
  settle(revision: number): void {
    let done = 0;
    for (const t of this.tombstoneQueue) {
      if (t.revision > revision) break;
      if (this.tombstones.get(t.key) === t.revision) this.tombstones.delete(t.key);
      done++;
    }
    if (done) this.tombstoneQueue = this.tombstoneQueue.slice(done);
  }

  get(key: string): MirroredKey | undefined {
    const { folder, leaf } = split(key);
    return this.folders.get(folder)?.get(leaf);
  }

  /**
   * The keys of the objects under `base` (`/registry/pods/`): the folder itself (cluster-scoped
   * objects) and its direct sub-folders (one per namespace), or only the namespace's when given.
   * Deeper folders belong to other resources (`services/specs/` is not under `services/`).
   */
  *objects(base: string, namespace?: string): Generator<{ namespace: string; name: string; entry: MirroredKey }> {
    if (namespace) {
      for (const [name, entry] of this.folders.get(`${base}${namespace}/`) ?? []) yield { namespace, name, entry };
      return;
    }
    for (const [folder, keys] of this.folders) {
      if (!folder.startsWith(base)) continue;
      const rest = folder.slice(base.length);
      if (rest === '') {
        for (const [name, entry] of keys) yield { namespace: '', name, entry };
      } else if (rest.indexOf('/') === rest.length - 1) {
        const ns = rest.slice(0, -1);
        for (const [name, entry] of keys) yield { namespace: ns, name, entry };
      }
    }
  }

  /** Drops everything (the history the watch had to bring was compacted: the copy is re-read). */
  clear(): void {
    this.folders.clear();
    this.tombstones.clear();
    this.tombstoneQueue = [];
  }
}

function split(key: string): { folder: string; leaf: string } {
  const slash = key.lastIndexOf('/');
  return { folder: key.slice(0, slash + 1), leaf: key.slice(slash + 1) };
}
