/**
 * How the store writes the objects that follow a write (WriteHooks.companions), as kube-apiserver's
 * REST storage does through its loopback client: created with the API server's field manager,
 * released by name with any error ignored (the IP allocator's Release ignores them).
 */
import type { KubeObject } from '../apimachinery/object.js';
import { isStatusError } from '../apimachinery/status.js';
import type { CompanionWriter } from './resource-definition.js';
import { API_SERVER_FIELD_MANAGER } from './field-ownership.js';
import type { ResourceStore } from './store.js';

export function companionWriter(storeOf: (resource: string) => ResourceStore): CompanionWriter {
  const release = (resource: string, namespace: string | undefined, name: string) => {
    try {
      storeOf(resource).delete(namespace, name);
    } catch (e) {
      if (!isStatusError(e)) throw e;
    }
  };
  return {
    create(objects) {
      const created: { resource: string; object: KubeObject }[] = [];
      const undo = () => {
        for (const { resource, object } of created.reverse()) release(resource, object.metadata.namespace, object.metadata.name!);
      };
      try {
        for (const { resource, object } of objects) {
          storeOf(resource).create(structuredClone(object), { fieldManager: API_SERVER_FIELD_MANAGER });
          created.push({ resource, object });
        }
      } catch (e) {
        undo();
        throw e;
      }
      return undo;
    },
    release(refs) {
      for (const { resource, namespace, name } of refs) release(resource, namespace, name);
    },
  };
}
