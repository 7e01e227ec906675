/**
 * In-process fan-out of committed changes, fed after each commit. One listener set per resource,
 * plus listeners for every resource. Each open store watch (store-watch.ts) is one listener of
 * its resource; so are the controllers' work queues and the kubelet's own followers.
 */
import type { KubeObject } from '../apimachinery/object.js';
import type { EventType } from '../storage/object-store.js';

export interface ChangeEvent {
  type: EventType;
  resource: string;
  namespace: string;
  name: string;
  rv: number;
  /** The object as committed; shared by every listener, never to be mutated. */
  object: KubeObject;
  /** Its serialisation, computed once. */
  json: string;
  /** The object before the change (MODIFIED and DELETED), when known. */
  previous?: KubeObject;
}

export type ChangeListener = (event: ChangeEvent) => void;

export class WatchHub {
  private readonly byResource = new Map<string, Set<ChangeListener>>();
  private readonly everything = new Set<ChangeListener>();
  private readonly resetListeners = new Set<() => void>();

  subscribe(resource: string | '*', listener: ChangeListener): () => void {
    let set: Set<ChangeListener>;
    if (resource === '*') set = this.everything;
    else {
      set = this.byResource.get(resource) ?? new Set();
      this.byResource.set(resource, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  publish(event: ChangeEvent): void {
    const set = this.byResource.get(event.resource);
    if (set) for (const l of [...set]) l(event);
    for (const l of [...this.everything]) l(event);
  }

  /** `listener` runs when the stored state was replaced wholesale (a snapshot restore): re-read it. */
  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  /** Tells every reset listener that the store changed without change events. */
  reset(): void {
    for (const l of [...this.resetListeners]) l();
  }

  listenerCount(resource: string): number {
    return this.byResource.get(resource)?.size ?? 0;
  }
}
