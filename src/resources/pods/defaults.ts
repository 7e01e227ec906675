/**
 * core/v1 defaulting for PodSpecs, pod templates and Pods (SetDefaults_PodSpec, SetDefaults_Pod,
 * SetDefaults_Container and the generated per-field defaulters), plus what a real API server's
 * admission chain adds to new Pods. Every function mutates its argument and is idempotent.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { defaultPullPolicy } from './image-reference.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, ensureObj, isObj, objList, str, unsetPtr, unsetString } from '../../apimachinery/json-fields.js';

/** Every volume source key of core/v1 VolumeSource; a volume with none of them gets emptyDir. */
export const VOLUME_SOURCE_KEYS = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
] as const;

const DEFAULT_FILE_MODE = 420; // 0644
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;
export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function setIfUnset(o: Obj, key: string, value: unknown): void {
  if (unsetString(o[key])) o[key] = value;
}

function setIfNil(o: Obj, key: string, value: unknown): void {
  if (unsetPtr(o[key])) o[key] = value;
}

/** SetDefaults_ObjectFieldSelector. */
function defaultFieldRef(fieldRef: unknown): void {
  if (isObj(fieldRef)) setIfUnset(fieldRef, 'apiVersion', 'v1');
}

/** SetDefaults_HTTPGetAction. */
function defaultHttpGet(httpGet: unknown): void {
  if (!isObj(httpGet)) return;
  setIfUnset(httpGet, 'path', '/');
  setIfUnset(httpGet, 'scheme', 'HTTP');
}

/** SetDefaults_Probe plus the handler defaults (httpGet, grpc.service). Zero counts as unset. */
function defaultProbe(probe: unknown): void {
  if (!isObj(probe)) return;
  const zero = (k: string): boolean => probe[k] === undefined || probe[k] === null || probe[k] === 0;
  if (zero('timeoutSeconds')) probe.timeoutSeconds = 1;
  if (zero('periodSeconds')) probe.periodSeconds = 10;
  if (zero('successThreshold')) probe.successThreshold = 1;
  if (zero('failureThreshold')) probe.failureThreshold = 3;
  defaultHttpGet(probe.httpGet);
  if (isObj(probe.grpc)) setIfNil(probe.grpc, 'service', '');
}

/** SetDefaults_Container and the per-field defaulters of a container (regular, init or ephemeral). */
export function defaultContainer(c: Obj): void {
  if (unsetString(c.imagePullPolicy)) c.imagePullPolicy = defaultPullPolicy(str(c.image));
  setIfUnset(c, 'terminationMessagePath', '/dev/termination-log');
  setIfUnset(c, 'terminationMessagePolicy', 'File');
  if (unsetPtr(c.resources)) c.resources = {};
  for (const port of objList(c.ports)) setIfUnset(port, 'protocol', 'TCP');
  for (const env of objList(c.env)) {
    const valueFrom = asObj(env.valueFrom);
    if (valueFrom) defaultFieldRef(valueFrom.fieldRef);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  const lifecycle = asObj(c.lifecycle);
  if (lifecycle) {
    for (const hook of ['postStart', 'preStop']) {
      const handler = asObj(lifecycle[hook]);
      if (handler) defaultHttpGet(handler.httpGet);
    }
  }
}

/** SetDefaults_Volume and the defaulters of the volume sources. */
export function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCE_KEYS.some((k) => !unsetPtr(v[k]))) v.emptyDir = {};
  const hostPath = asObj(v.hostPath);
  if (hostPath) setIfNil(hostPath, 'type', '');
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = asObj(v[key]);
    if (source) setIfNil(source, 'defaultMode', DEFAULT_FILE_MODE);
  }
  const downwardAPI = asObj(v.downwardAPI);
  if (downwardAPI) for (const item of objList(downwardAPI.items)) defaultFieldRef(item.fieldRef);
  const projected = asObj(v.projected);
  if (projected) {
    for (const source of objList(projected.sources)) {
      const dapi = asObj(source.downwardAPI);
      if (dapi) for (const item of objList(dapi.items)) defaultFieldRef(item.fieldRef);
      const token = asObj(source.serviceAccountToken);
      if (token) setIfNil(token, 'expirationSeconds', DEFAULT_TOKEN_EXPIRATION_SECONDS);
    }
  }
  const claimSpec = asObj(asObj(asObj(v.ephemeral)?.volumeClaimTemplate)?.spec);
  if (claimSpec) setIfNil(claimSpec, 'volumeMode', 'Filesystem');
}

/**
 * SetDefaults_PodSpec and everything below it. Also applies the v1 conversion rule that makes the
 * deprecated `serviceAccount` an alias of `serviceAccountName` (the new field wins).
 */
export function defaultPodSpec(spec: Obj): void {
  setIfUnset(spec, 'dnsPolicy', 'ClusterFirst');
  setIfUnset(spec, 'restartPolicy', 'Always');
  setIfNil(spec, 'securityContext', {});
  setIfNil(spec, 'terminationGracePeriodSeconds', 30);
  setIfUnset(spec, 'schedulerName', 'default-scheduler');
  for (const v of objList(spec.volumes)) defaultVolume(v);
  for (const key of CONTAINER_LISTS) for (const c of objList(spec[key])) defaultContainer(c);
  syncServiceAccountAlias(spec);
}

function syncServiceAccountAlias(spec: Obj): void {
  if (unsetString(spec.serviceAccountName) && !unsetString(spec.serviceAccount)) spec.serviceAccountName = spec.serviceAccount;
  if (!unsetString(spec.serviceAccountName)) spec.serviceAccount = spec.serviceAccountName;
  else if (spec.serviceAccount !== undefined) delete spec.serviceAccount;
}

/** Defaults of a PodTemplateSpec (the template of a DaemonSet, Deployment, …): metadata exists, spec defaulted. */
export function defaultPodTemplate(template: Obj): void {
  ensureObj(template, 'metadata');
  defaultPodSpec(ensureObj(template, 'spec'));
}

/** SetDefaults_Pod: only for real Pods, never for templates. */
function defaultPodOnly(spec: Obj): void {
  for (const key of ['containers', 'initContainers']) {
    for (const c of objList(spec[key])) {
      const resources = asObj(c.resources);
      const limits = asObj(resources?.limits);
      if (!resources || !limits || Object.keys(limits).length === 0) continue;
      const requests = ensureObj(resources, 'requests');
      for (const [name, qty] of Object.entries(limits)) if (!(name in requests)) requests[name] = qty;
    }
  }
  setIfNil(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    for (const key of ['containers', 'initContainers']) {
      for (const c of objList(spec[key])) {
        for (const port of objList(c.ports)) {
          const unset = port.hostPort === undefined || port.hostPort === null || port.hostPort === 0;
          if (unset && typeof port.containerPort === 'number') port.hostPort = port.containerPort;
        }
      }
    }
  }
}

/** All API defaults of a Pod (SetObjectDefaults_Pod). */
export function defaultPod(pod: KubeObject): void {
  const spec = ensureObj(pod, 'spec');
  defaultPodOnly(spec);
  defaultPodSpec(spec);
}

export const DEFAULT_TOLERATION_SECONDS = 300;
const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/** The PriorityClasses every cluster has. */
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

/**
 * What the admission chain of a real API server adds to a Pod on create besides the ServiceAccount
 * plugin (service-account-admission.ts, which needs the cluster in view): the Priority plugin's
 * priority and preemption policy, and the DefaultTolerationSeconds plugin's not-ready/unreachable
 * tolerations.
 */
export function admitPodOnCreate(pod: KubeObject): void {
  const spec = ensureObj(pod, 'spec');

  const className = str(spec.priorityClassName);
  const priority = className === '' ? 0 : SYSTEM_PRIORITY_CLASSES[className];
  if (priority !== undefined) {
    setIfNil(spec, 'priority', priority);
    setIfNil(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  }

  const tolerations = objList(spec.tolerations);
  const tolerates = (key: string): boolean =>
    tolerations.some((t) => (str(t.key) === key || str(t.key) === '') && (str(t.effect) === 'NoExecute' || str(t.effect) === ''));
  const added: Obj[] = [];
  for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
    if (!tolerates(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  if (added.length) spec.tolerations = [...(Array.isArray(spec.tolerations) ? (spec.tolerations as unknown[]) : []), ...added];
}
