/**
 * Discovery documents (legacy APIVersions / APIGroupList / APIGroup / APIResourceList and aggregated
 * APIGroupDiscoveryList v2 / v2beta1), built from the resource definitions. Pure: no Fastify here.
 */
import { createHash } from 'node:crypto';
import { parseAccept, type MediaRange } from '../media-type.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { storageDefinition } from '../../registry/served-versions.js';
import { compareKubeVersions } from '../../apimachinery/group-version.js';
import {
  type ApiPriority,
  BUILTIN_API_PRIORITIES,
  CUSTOM_RESOURCE_PRIORITY,
  UNLISTED_API_PRIORITY,
} from '../../resources/api-priorities.js';

export type DiscoveryFormat = 'v2' | 'v2beta1' | 'legacy';
export type AggregatedVersion = Exclude<DiscoveryFormat, 'legacy'>;

export const LEGACY_CONTENT_TYPE = 'application/json';
export const DISCOVERY_GROUP = 'apidiscovery.k8s.io';

/** The exact Content-Type kubectl checks to accept a body as aggregated discovery. */
export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=${DISCOVERY_GROUP};v=${version};as=APIGroupDiscoveryList`;
}

const RESOURCE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];

/** Create-only virtual kinds (reviews) serve POST alone; stored kinds serve every verb. */
function verbsOf(def: ResourceDefinition): string[] {
  return def.virtual ? ['create'] : [...RESOURCE_VERBS];
}

type GroupVersionRef = { groupVersion: string; version: string };

interface Subresource {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

/** The hash upstream stores beside each resource: 8 bytes of sha256("group/version/kind"), base64. */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

function gvRef(group: string, version: string): GroupVersionRef {
  return { groupVersion: group ? `${group}/${version}` : version, version };
}

/**
 * A served group-version's priority: a built-in one's from the table (the default when it is not
 * in it), one served by custom resources alone the CRDs'. Where a CRD serves a built-in
 * group-version too, the built-in entry counts, as the aggregated discovery manager prefers the
 * built-in source of a group-version.
 */
function priorityOf(defs: ResourceDefinition[], group: string, version: string): ApiPriority {
  const builtin = defs.some((d) => d.group === group && d.version === version && !d.unstructured);
  if (!builtin) return CUSTOM_RESOURCE_PRIORITY;
  return BUILTIN_API_PRIORITIES[gvRef(group, version).groupVersion] ?? UNLISTED_API_PRIORITY;
}

/** Versions served for a group, preferred first: by version priority, then in the Kubernetes version order. */
function versionsOf(defs: ResourceDefinition[], group: string): string[] {
  const versions = [...new Set(defs.filter((d) => d.group === group).map((d) => d.version))];
  const priority = new Map(versions.map((v) => [v, priorityOf(defs, group, v).version]));
  return versions.sort((a, b) => priority.get(b)! - priority.get(a)! || compareKubeVersions(a, b));
}

/**
 * Non-core group names in discovery order: by group priority (a group's versions' highest), highest
 * first. Ties, the CRD groups among themselves above all, break differently in the two documents:
 * the legacy APIGroupList (kube-aggregator's sort of the APIServices) by the smallest APIService
 * name, `<version>.<group>`, among the group's versions of that priority; the aggregated document
 * (the discovery manager's sort) by the group name.
 */
function groupNames(defs: ResourceDefinition[], format: DiscoveryFormat): string[] {
  const places = [...new Set(defs.filter((d) => d.group !== '').map((d) => d.group))].map((group) => {
    const versions = versionsOf(defs, group).map((version) => ({ version, group: priorityOf(defs, group, version).group }));
    const priority = Math.max(...versions.map((v) => v.group));
    const names = versions.filter((v) => v.group === priority).map((v) => `${v.version}.${group}`);
    return { group, priority, tieBreak: format === 'legacy' ? names.sort()[0] : group };
  });
  const byTieBreak = byName((p: { tieBreak: string }) => p.tieBreak);
  places.sort((a, b) => b.priority - a.priority || byTieBreak(a, b));
  return places.map((p) => p.group);
}

function byName<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function subresourcesOf(def: ResourceDefinition): Subresource[] {
  const subs: Subresource[] = [];
  const base = { group: def.group, version: def.version, kind: def.kind };
  if (def.statusStrategy) subs.push({ name: 'status', ...base, verbs: [...STATUS_VERBS] });
  for (const extra of def.extraSubresources ?? []) {
    if (subs.some((s) => s.name === extra.name)) continue;
    subs.push({
      name: extra.name,
      group: extra.group ?? def.group,
      version: extra.version ?? def.version,
      kind: extra.kind ?? def.kind,
      verbs: [...extra.verbs].sort(),
    });
  }
  return subs.sort(byName((s) => s.name));
}

function defsIn(defs: ResourceDefinition[], group: string, version: string): ResourceDefinition[] {
  return defs.filter((d) => d.group === group && d.version === version).sort(byName((d) => d.plural));
}

/** `GET /api`. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(defs: ResourceDefinition[], group: string): Record<string, unknown> {
  const versions = versionsOf(defs, group).map((v) => gvRef(group, v));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** `GET /apis` (legacy). */
export function apiGroupList(defs: ResourceDefinition[]): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupNames(defs, 'legacy').map((g) => groupEntry(defs, g)) };
}

/** `GET /apis/<group>`, or undefined when the group is not served. */
export function apiGroup(defs: ResourceDefinition[], group: string): Record<string, unknown> | undefined {
  if (!group || !defs.some((d) => d.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(defs, group) };
}

/** `GET /api/v1` or `GET /apis/<group>/<version>`; undefined when the group-version is not served. */
export function apiResourceList(defs: ResourceDefinition[], groupVersion: string): Record<string, unknown> | undefined {
  const slash = groupVersion.indexOf('/');
  const group = slash < 0 ? '' : groupVersion.slice(0, slash);
  const version = slash < 0 ? groupVersion : groupVersion.slice(slash + 1);
  const served = defsIn(defs, group, version);
  if (served.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const def of served) {
    const main: Record<string, unknown> = {
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: verbsOf(def),
    };
    if (def.shortNames?.length) main.shortNames = [...def.shortNames];
    if (def.categories?.length) main.categories = [...def.categories];
    // Only stored kinds have a storage version.
    if (!def.virtual) {
      // A served version shares the stored kind's storage version, so its hash (as upstream's).
      const stored = storageDefinition(def);
      main.storageVersionHash = storageVersionHash(stored.group, stored.version, stored.kind);
    }
    resources.push(main);
    for (const sub of subresourcesOf(def)) {
      const entry: Record<string, unknown> = { name: `${def.plural}/${sub.name}`, singularName: '', namespaced: def.namespaced };
      if (sub.group !== def.group || sub.version !== def.version) {
        if (sub.group) entry.group = sub.group;
        if (sub.version) entry.version = sub.version;
      }
      entry.kind = sub.kind;
      entry.verbs = sub.verbs;
      resources.push(entry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gvRef(group, version).groupVersion, resources };
}

function discoveryResource(def: ResourceDefinition): Record<string, unknown> {
  const res: Record<string, unknown> = {
    resource: def.plural,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: verbsOf(def),
  };
  if (def.shortNames?.length) res.shortNames = [...def.shortNames];
  if (def.categories?.length) res.categories = [...def.categories];
  const subs = subresourcesOf(def);
  if (subs.length) {
    res.subresources = subs.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return res;
}

function discoveryGroup(defs: ResourceDefinition[], group: string): Record<string, unknown> {
  const metadata: Record<string, unknown> = group ? { name: group, creationTimestamp: null } : { creationTimestamp: null };
  const versions = versionsOf(defs, group).map((version) => ({
    version,
    resources: defsIn(defs, group, version).map(discoveryResource),
    freshness: 'Current',
  }));
  return { metadata, versions };
}

/** Aggregated discovery for `/api` (scope core) or `/apis` (scope apis). */
export function aggregatedDiscovery(
  defs: ResourceDefinition[],
  scope: 'core' | 'apis',
  version: AggregatedVersion,
): Record<string, unknown> {
  const groups = scope === 'core' ? [''] : groupNames(defs, version);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `${DISCOVERY_GROUP}/${version}`,
    metadata: {},
    items: groups.map((g) => discoveryGroup(defs, g)),
  };
}

function offers(ranges: MediaRange[], version: AggregatedVersion): boolean {
  return ranges.some((r) => {
    const q = r.params.get('q');
    if (q !== undefined && !(Number(q) > 0)) return false;
    return (
      r.type === 'application/json' &&
      r.params.get('g')?.toLowerCase() === DISCOVERY_GROUP &&
      r.params.get('v')?.toLowerCase() === version &&
      r.params.get('as')?.toLowerCase() === 'apigroupdiscoverylist'
    );
  });
}

/** Choose the discovery format for `/api` and `/apis` from the request's Accept header. */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat {
  if (!accept) return 'legacy';
  const ranges = parseAccept(accept);
  if (offers(ranges, 'v2')) return 'v2';
  if (offers(ranges, 'v2beta1')) return 'v2beta1';
  return 'legacy';
}
