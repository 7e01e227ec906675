/**
 * CustomResourceDefinitions installed at start (`--crds`, `startKubemock({ crds })`), the way an
 * operator's test suite installs its `config/crd/bases/*.yaml` first: YAML or JSON files, folders
 * of them (name order, multi-document YAML), or parsed objects. Each is created, or its spec
 * replaced when it differs from the stored one (a restart on the same database after the CRD
 * changed), through the registry, so it is validated as any client's would be. A bad one fails the
 * start with a message naming its file and the field error.
 */
import { deepClone, deepEqual, type KubeObject } from './apimachinery/object.js';
import { StatusError } from './apimachinery/status.js';
import type { Registry } from './registry/registry.js';
import { isConditionTrue } from './controllers/crd/conditions.js';
import type { CustomResourceDefinition } from './resources/customresourcedefinitions/schema.js';
import { readFixtures, type Fixture } from './fixtures.js';

const API_VERSION = 'apiextensions.k8s.io/v1';
const KIND = 'CustomResourceDefinition';

export class CrdInstallError extends Error {
  override name = 'CrdInstallError';
}

/** The CRDs of files and folders, and of objects given as they are (`crds[i]`), in the given order. */
export function readCrds(sources: readonly (string | KubeObject)[]): Fixture[] {
  return sources.flatMap((s, i): Fixture[] => {
    if (typeof s !== 'string') return [{ object: s, source: `crds[${i}]` }];
    try {
      return readFixtures(s);
    } catch (err) {
      throw new CrdInstallError((err as Error).message.replace(/^fixtures: /, 'crds: '));
    }
  });
}

/** Creates (or updates) every CRD; returns their names. */
export function installCrds(registry: Registry, crds: readonly Fixture[]): string[] {
  const store = registry.store<CustomResourceDefinition & KubeObject>('customresourcedefinitions', 'apiextensions.k8s.io');
  const names: string[] = [];
  for (const { object, source } of crds) {
    if (object.apiVersion !== API_VERSION || object.kind !== KIND) {
      throw new CrdInstallError(
        `crds: ${source}: expected ${API_VERSION} ${KIND}, got ${object.apiVersion ?? '(no apiVersion)'} ${object.kind ?? '(no kind)'}`,
      );
    }
    const crd = deepClone(object) as CustomResourceDefinition & KubeObject;
    const name = crd.metadata?.name ?? '';
    try {
      const existing = name ? store.tryGet(undefined, name) : undefined;
      if (!existing) store.create(crd);
      else if (!deepEqual(existing.spec, crd.spec)) store.update(undefined, name, { ...existing, spec: crd.spec });
    } catch (err) {
      throw new CrdInstallError(`crds: ${source} (${name || '(no name)'}): ${err instanceof StatusError ? err.message : String(err)}`);
    }
    names.push(name);
  }
  return names;
}

/** Throws unless every named CRD is Established (after the CRD controller's first sync). */
export function assertEstablished(registry: Registry, names: readonly string[]): void {
  const store = registry.store<CustomResourceDefinition & KubeObject>('customresourcedefinitions', 'apiextensions.k8s.io');
  for (const name of names) {
    const crd = store.tryGet(undefined, name);
    if (crd && isConditionTrue(crd, 'Established')) continue;
    const why = crd?.status?.conditions?.find((c) => c.status !== 'True');
    throw new CrdInstallError(
      `crds: ${name} is not Established${why ? `: ${why.type} is ${why.status} (${why.reason}: ${why.message})` : ''}`,
    );
  }
}
