/**
 * The event kinds (core/v1 and events.k8s.io/v1 Events, one storage). Controllers neither cache nor
 * watch them, as upstream's do not: the garbage collector ignores them (its DefaultIgnoredResources)
 * and the namespace controller reads them from storage when it empties a namespace. They are the
 * most numerous objects of a busy cluster (four for every pod started); out of the cache, its memory
 * goes to the objects controllers act on.
 */
export function isEventKind(def: { plural: string; group: string }): boolean {
  return def.plural === 'events' && (def.group === '' || def.group === 'events.k8s.io');
}
