/**
 * The ServiceAccount admission plugin (upstream plugin/pkg/admission/serviceaccount) for new pods:
 * a pod runs as `default` unless it names an account, the account must exist (403 otherwise), its
 * image pull secrets are copied to a pod that has none, and unless the pod or the account turns
 * automounting off, every container and init container mounts a `kube-api-access-<suffix>`
 * projected volume (token, CA bundle, namespace) at /var/run/secrets/kubernetes.io/serviceaccount.
 * Mirror pods are not changed, only checked: they may not use accounts, secrets or tokens.
 * Updates are not admitted here (pod update validation already forbids changing these fields).
 */
import { forbidden } from '../../apimachinery/status.js';
import { asObj, ensureObj, isObj, objList, str, type Obj } from '../../apimachinery/json-fields.js';
import { generateName } from '../../apimachinery/names.js';
import type { KubeObject } from '../../apimachinery/object.js';
import type { ClusterReader } from '../../registry/resource-definition.js';
import { DEFAULT_SERVICE_ACCOUNT, ROOT_CA_CONFIG_MAP } from '../serviceaccounts/default-account.js';
import type { ServiceAccount } from '../serviceaccounts/schema.js';
import { WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS } from '../serviceaccounts/token-request.js';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const PROJECTED_DEFAULT_MODE = 420; // 0644

/** `pods "<name or generateName>" is forbidden: <why>` (admission.NewForbidden). */
function refuse(pod: KubeObject, why: string): never {
  throw forbidden({ group: '', resource: 'pods' }, pod.metadata.name || pod.metadata.generateName || 'Unknown', why);
}

/**
 * The account the pod runs as. `default` counts as existing while it is missing: upstream's plugin
 * retries its lookup for about a second because the service accounts controller creates it within
 * milliseconds of the namespace (or of its deletion). Our writes are synchronous and the controller
 * runs after them, so the plugin would see the gap that upstream waits out; taking the account as
 * it is created (no settings) gives the pod the same answer without a race. The namespace itself
 * was checked already (namespace lifecycle refuses pods in missing or terminating namespaces), and
 * with controllers off (the test apps) pods are admitted as before.
 */
function serviceAccountOf(pod: KubeObject, name: string, cluster: ClusterReader): ServiceAccount {
  const namespace = pod.metadata.namespace ?? '';
  const found = cluster.get('serviceaccounts', namespace, name) as ServiceAccount | undefined;
  if (found) return found;
  if (name === DEFAULT_SERVICE_ACCOUNT) return { metadata: { name, namespace } };
  refuse(pod, `error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`);
}

/** Every secret name a pod refers to (podutil.VisitPodSecretNames), for the mirror pod check. */
function referencesSecrets(spec: Obj): boolean {
  if (objList(spec.imagePullSecrets).length) return true;
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of objList(spec[key])) {
      if (objList(c.envFrom).some((e) => isObj(e.secretRef))) return true;
      if (objList(c.env).some((e) => isObj(asObj(e.valueFrom)?.secretKeyRef))) return true;
    }
  }
  const refFields = ['secretRef', 'nodePublishSecretRef'];
  for (const v of objList(spec.volumes)) {
    for (const source of Object.values(v)) {
      const s = asObj(source);
      if (!s) continue;
      if (refFields.some((f) => isObj(s[f])) || str(s.secretName) !== '') return true;
      if (objList(s.sources).some((p) => isObj(p.secret))) return true;
    }
  }
  return false;
}

function checkMirrorPod(pod: KubeObject, spec: Obj): void {
  if (str(spec.serviceAccountName) !== '') refuse(pod, 'a mirror pod may not reference service accounts');
  if (referencesSecrets(spec)) refuse(pod, 'a mirror pod may not reference secrets');
  const usesToken = objList(spec.volumes).some((v) => objList(asObj(v.projected)?.sources).some((p) => isObj(p.serviceAccountToken)));
  if (usesToken) refuse(pod, 'a mirror pod may not use ServiceAccountToken volume projections');
}

/** The pod's setting wins, then the account's; mounting is the default. */
function shouldAutomount(spec: Obj, account: ServiceAccount): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  return account.automountServiceAccountToken ?? true;
}

/** The projected volume source of the API token (TokenVolumeSource), every default spelled out. */
function tokenVolumeSource(): Obj {
  return {
    sources: [
      { serviceAccountToken: { expirationSeconds: WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
    defaultMode: PROJECTED_DEFAULT_MODE,
  };
}

/** mountServiceAccountToken: reuse a kube-api-access-* volume, mount it where no container mounts that path yet. */
function mountToken(spec: Obj): void {
  const volumes = objList(spec.volumes);
  const existing = volumes.find((v) => str(v.name).startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName = existing ? str(existing.name) : generateName(TOKEN_VOLUME_PREFIX);
  let needsVolume = false;
  for (const key of ['initContainers', 'containers']) {
    for (const c of objList(spec[key])) {
      const mounts = objList(c.volumeMounts);
      if (mounts.some((m) => str(m.mountPath) === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
      c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
      needsVolume = true;
    }
  }
  if (!existing && needsVolume) spec.volumes = [...volumes, { name: volumeName, projected: tokenVolumeSource() }];
}

/** WriteHooks.admit of pods: only creates are admitted. */
export function admitServiceAccount(pod: KubeObject, old: KubeObject | undefined, cluster: ClusterReader): void {
  if (old) return;
  const spec = ensureObj(pod, 'spec');
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
    checkMirrorPod(pod, spec);
    return;
  }
  if (str(spec.serviceAccountName) === '') spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
  // The v1 form of the deprecated alias follows the internal field on the way out.
  spec.serviceAccount = spec.serviceAccountName;
  const account = serviceAccountOf(pod, str(spec.serviceAccountName), cluster);
  if (shouldAutomount(spec, account)) mountToken(spec);
  if (!objList(spec.imagePullSecrets).length && account.imagePullSecrets?.length) {
    spec.imagePullSecrets = account.imagePullSecrets.map((s) => (s.name ? { name: s.name } : {}));
  }
}
