/** The ClusterReader write hooks get: current objects straight from storage, parsed on demand. */
import type { KubeObject } from '../apimachinery/object.js';
import type { StorageBackend } from '../storage/storage-backend.js';
import type { ClusterReader } from './resource-definition.js';

export function clusterReader(storage: StorageBackend): ClusterReader {
  return {
    get(resource, namespace, name) {
      // Kept by the storage's read cache until written: admission reads the same few objects
      // (a namespace's ServiceAccount for every pod created in it) again and again.
      const row = storage.get(resource, namespace ?? '', name, true);
      return row ? (JSON.parse(row.body) as KubeObject) : undefined;
    },
    list(resource, namespace) {
      return storage.list(resource, namespace).map((row) => JSON.parse(row.body) as KubeObject);
    },
    names(resource) {
      return storage.listVersions(resource).map((row) => row.name);
    },
  };
}
