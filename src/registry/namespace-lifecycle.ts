/**
 * Admission as NamespaceLifecycle does it: no content in a missing or terminating namespace.
 * Namespace states are kept in memory from the change feed, so a create reads no namespace row
 * unless the namespace is not known there.
 */
import { forbidden, notFound } from '../apimachinery/status.js';
import type { KubeObject } from '../apimachinery/object.js';
import type { StorageBackend } from '../storage/storage-backend.js';
import type { ResourceDefinition } from './resource-definition.js';
import type { CreateAdmission } from './store.js';
import type { WatchHub } from './watch-hub.js';

type Namespace = KubeObject & { status?: { phase?: string } };

const terminating = (ns: Namespace) => Boolean(ns.metadata.deletionTimestamp) || ns.status?.phase === 'Terminating';

export function namespaceLifecycle(storage: StorageBackend, hub: WatchHub): CreateAdmission {
  const states = new Map<string, boolean>();
  const fill = () => {
    states.clear();
    for (const row of storage.list('namespaces', '')) states.set(row.name, terminating(JSON.parse(row.body) as Namespace));
  };
  fill();
  hub.onReset(fill);
  hub.subscribe('namespaces', (ev) => {
    if (ev.type === 'DELETED') states.delete(ev.name);
    else states.set(ev.name, terminating(ev.object));
  });
  return (def: ResourceDefinition, obj: KubeObject) => {
    if (!def.namespaced) return;
    const ns = obj.metadata.namespace ?? '';
    // A namespace missing from the cache may be younger than it (another replica created it and
    // its change is on the way): as upstream, a miss is looked up in storage.
    let isTerminating = states.get(ns);
    if (isTerminating === undefined) {
      const row = storage.get('namespaces', '', ns);
      if (row) isTerminating = terminating(JSON.parse(row.body) as Namespace);
    }
    if (isTerminating === undefined) throw notFound({ group: '', resource: 'namespaces' }, ns);
    if (isTerminating) {
      throw forbidden(
        { group: def.group, resource: def.plural },
        obj.metadata.name ?? '',
        `unable to create new content in namespace ${ns} because it is being terminated`,
        [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
      );
    }
  };
}
