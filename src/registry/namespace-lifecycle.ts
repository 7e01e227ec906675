/** Admission as NamespaceLifecycle does it: no content in a missing or terminating namespace. */
import { forbidden, notFound } from '../apimachinery/status.js';
import type { KubeObject } from '../apimachinery/object.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { ResourceDefinition } from './resource-definition.js';
import type { CreateAdmission } from './store.js';

export function namespaceLifecycle(storage: ObjectStore): CreateAdmission {
  return (def: ResourceDefinition, obj: KubeObject) => {
    if (!def.namespaced) return;
    const ns = obj.metadata.namespace ?? '';
    const row = storage.get('namespaces', '', ns);
    if (!row) throw notFound({ group: '', resource: 'namespaces' }, ns);
    const namespace = JSON.parse(row.body) as KubeObject & { status?: { phase?: string } };
    if (namespace.metadata.deletionTimestamp || namespace.status?.phase === 'Terminating') {
      throw forbidden({ group: def.group, resource: def.plural }, obj.metadata.name ?? '', `unable to create new content in namespace ${ns} because it is being terminated`, [
        { reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' },
      ]);
    }
  };
}
