/**
 * The ConfigMaps and Secrets a pod needs before its containers can start, and what the kubelet
 * says when one is missing: a volume it cannot set up (FailedMount, the volume manager's
 * `MountVolume.SetUp failed for volume "v" : …`, the pod kept in ContainerCreating) and a container
 * whose environment it cannot build (CreateContainerConfigError, from makeEnvironmentVariables).
 * The messages are the kubelet's: its ConfigMap and Secret managers answer NotFound for the
 * resources "configmap" and "secret" (singular), and the payload builders name the missing key.
 * Pure: the objects come from a lookup in the pod's namespace.
 */
import type { Container, PodSpec } from '../resources/schemas.js';
import type { StoredPod } from '../resources/stored.js';

/** The parts of a ConfigMap or Secret the kubelet reads: its keys. */
export interface KeyedObject {
  data?: Record<string, unknown>;
  binaryData?: Record<string, unknown>;
}

/** ConfigMaps and Secrets of the pod's namespace, by name; undefined when there is none. */
export interface ObjectLookup {
  configMap(name: string): KeyedObject | undefined;
  secret(name: string): KeyedObject | undefined;
}

type Volume = NonNullable<PodSpec['volumes']>[number];
type KeyItems = { key: string }[] | undefined;

const has = (map: Record<string, unknown> | undefined, key: string) => Boolean(map && Object.hasOwn(map, key));

const notFound = (resource: 'configmap' | 'secret', name: string) => `${resource} "${name}" not found`;

/** A ConfigMap source of a volume (or of a projected one): its error, if it cannot be set up. */
function configMapSourceError(objects: ObjectLookup, name: string, items: KeyItems, optional: boolean | undefined): string | undefined {
  const cm = objects.configMap(name);
  if (!cm) return optional ? undefined : notFound('configmap', name);
  if (optional) return undefined;
  const missing = (items ?? []).find((i) => !has(cm.data, i.key) && !has(cm.binaryData, i.key));
  return missing && `configmap references non-existent config key: ${missing.key}`;
}

/** A Secret source of a volume (or of a projected one): its error, if it cannot be set up. */
function secretSourceError(objects: ObjectLookup, name: string, items: KeyItems, optional: boolean | undefined): string | undefined {
  const secret = objects.secret(name);
  if (!secret) return optional ? undefined : notFound('secret', name);
  if (optional) return undefined;
  const missing = (items ?? []).find((i) => !has(secret.data, i.key));
  return missing && `references non-existent secret key: ${missing.key}`;
}

/** Several errors as one, as apimachinery's aggregate prints them: alone as is, else `[a, b]`, duplicates once. */
function aggregate(errors: string[]): string | undefined {
  const unique = [...new Set(errors)];
  if (unique.length <= 1) return unique[0];
  return `[${unique.join(', ')}]`;
}

/**
 * Why the volume cannot be set up, or undefined. Only ConfigMap, Secret and projected volumes
 * depend on other objects; a projected volume's service account token, downward API and trust
 * bundle sources are always available.
 */
export function volumeSetUpError(volume: Volume, objects: ObjectLookup): string | undefined {
  if (volume.configMap)
    return configMapSourceError(objects, volume.configMap.name ?? '', volume.configMap.items, volume.configMap.optional);
  if (volume.secret) return secretSourceError(objects, volume.secret.secretName ?? '', volume.secret.items, volume.secret.optional);
  if (volume.projected) {
    const errors = (volume.projected.sources ?? []).flatMap((s) => {
      const e = s.configMap
        ? configMapSourceError(objects, s.configMap.name ?? '', s.configMap.items, s.configMap.optional)
        : s.secret
          ? secretSourceError(objects, s.secret.name ?? '', s.secret.items, s.secret.optional)
          : undefined;
      return e ? [e] : [];
    });
    return aggregate(errors);
  }
  return undefined;
}

const allContainers = (spec: PodSpec | undefined): { volumeMounts?: { name: string }[]; volumeDevices?: { name: string }[] }[] => [
  ...(spec?.initContainers ?? []),
  ...(spec?.containers ?? []),
  ...(spec?.ephemeralContainers ?? []),
];

/** usedVolumes' answer per spec: a pod's status writes keep its spec, and the kubelet asks at every step. */
const usedBySpec = new WeakMap<PodSpec, Volume[]>();

/** The volumes some container mounts (or uses as a device): the only ones the volume manager sets up. */
function usedVolumes(spec: PodSpec | undefined): Volume[] {
  if (!spec) return [];
  let volumes = usedBySpec.get(spec);
  if (!volumes) {
    const used = new Set(allContainers(spec).flatMap((c) => [...(c.volumeMounts ?? []), ...(c.volumeDevices ?? [])].map((m) => m.name)));
    volumes = (spec.volumes ?? []).filter((v) => used.has(v.name));
    usedBySpec.set(spec, volumes);
  }
  return volumes;
}

export interface FailedMount {
  volume: string;
  /** The FailedMount event's message. */
  message: string;
}

/** The pod's volumes that cannot be set up, in spec order, with the volume manager's message. */
export function failedMounts(pod: StoredPod, objects: ObjectLookup): FailedMount[] {
  return usedVolumes(pod.spec).flatMap((v) => {
    const error = volumeSetUpError(v, objects);
    return error ? [{ volume: v.name, message: `MountVolume.SetUp failed for volume "${v.name}" : ${error}` }] : [];
  });
}

/**
 * Why the container's environment cannot be built, or undefined: envFrom first, then env, the
 * first failure only, as makeEnvironmentVariables returns it. Keys of a ConfigMap come from its
 * `data` (binaryData is not offered to the environment).
 */
export function containerConfigError(pod: StoredPod, container: Container, objects: ObjectLookup): string | undefined {
  const namespace = pod.metadata.namespace ?? '';
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) {
      const name = from.configMapRef.name ?? '';
      if (!objects.configMap(name) && !from.configMapRef.optional) return notFound('configmap', name);
    } else if (from.secretRef) {
      const name = from.secretRef.name ?? '';
      if (!objects.secret(name) && !from.secretRef.optional) return notFound('secret', name);
    }
  }
  for (const env of container.env ?? []) {
    const cmRef = env.valueFrom?.configMapKeyRef;
    const secretRef = env.valueFrom?.secretKeyRef;
    if (cmRef) {
      const name = cmRef.name ?? '';
      const cm = objects.configMap(name);
      if (cmRef.optional) continue;
      if (!cm) return notFound('configmap', name);
      if (!has(cm.data, cmRef.key)) return `couldn't find key ${cmRef.key} in ConfigMap ${namespace}/${name}`;
    } else if (secretRef) {
      const name = secretRef.name ?? '';
      const secret = objects.secret(name);
      if (secretRef.optional) continue;
      if (!secret) return notFound('secret', name);
      if (!has(secret.data, secretRef.key)) return `couldn't find key ${secretRef.key} in Secret ${namespace}/${name}`;
    }
  }
  return undefined;
}

/** Every ConfigMap and Secret the pod's volumes and containers name, as `configmaps/<name>` and `secrets/<name>`. */
export function referencedObjects(spec: PodSpec | undefined): string[] {
  const out = new Set<string>();
  const cm = (name: string | undefined) => name && out.add(`configmaps/${name}`);
  const secret = (name: string | undefined) => name && out.add(`secrets/${name}`);
  for (const v of spec?.volumes ?? []) {
    cm(v.configMap?.name);
    secret(v.secret?.secretName);
    for (const s of v.projected?.sources ?? []) {
      cm(s.configMap?.name);
      secret(s.secret?.name);
    }
  }
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    for (const from of c.envFrom ?? []) {
      cm(from.configMapRef?.name);
      secret(from.secretRef?.name);
    }
    for (const env of c.env ?? []) {
      cm(env.valueFrom?.configMapKeyRef?.name);
      secret(env.valueFrom?.secretKeyRef?.name);
    }
  }
  return [...out];
}
