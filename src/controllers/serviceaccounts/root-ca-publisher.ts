/**
 * The root CA publisher (upstream pkg/controller/certificates/rootcacertpublisher): every namespace
 * holds the ConfigMap `kube-root-ca.crt` with the cluster's CA bundle under `ca.crt` (what the
 * projected service account volume mounts) and a `kubernetes.io/description` annotation. It is
 * created when missing and put back when its data or the annotation change; a ConfigMap that
 * already says so is never written.
 */
import { deepEqual, type Stored } from '../../apimachinery/object.js';
import { StatusError } from '../../apimachinery/status.js';
import type { ConfigMap } from '../../resources/configmaps/schema.js';
import { ROOT_CA_CONFIG_MAP } from '../../resources/serviceaccounts/default-account.js';
import type { StoredNamespace as Namespace } from '../../resources/stored.js';
import type { ControllerContext } from '../context.js';
import type { Controller } from '../runtime/controller.js';
import { ROOT_CA_CERT_PEM } from './root-ca.js';

const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal ' +
  'service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The namespace is gone or terminating (404, 403), or a create lost a race (409): nothing to retry. */
const settled = (e: unknown) => e instanceof StatusError && [403, 404, 409].includes(e.code);

export function rootCaPublisher(ctx: ControllerContext): Controller {
  const { cache, registry } = ctx;
  const configMaps = registry.store<Stored<ConfigMap>>('configmaps');
  // The server's own CA when it serves TLS; a fixed stand-in over plain HTTP.
  const data = { 'ca.crt': ctx.apiServer?.caBundle ?? ROOT_CA_CERT_PEM };

  function reconcile(namespace: string): void {
    const ns = cache.get<Namespace>('namespaces', undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const current = cache.get<Stored<ConfigMap>>('configmaps', namespace, ROOT_CA_CONFIG_MAP);
    try {
      if (!current) {
        configMaps.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIG_MAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data,
        });
        return;
      }
      if (deepEqual(current.data ?? null, data) && current.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return;
      configMaps.patch(namespace, ROOT_CA_CONFIG_MAP, (cm) => {
        const annotations = { ...(cm.metadata.annotations ?? {}) };
        if (!annotations[DESCRIPTION_ANNOTATION]) annotations[DESCRIPTION_ANNOTATION] = DESCRIPTION;
        return { ...cm, metadata: { ...cm.metadata, annotations }, data };
      });
    } catch (e) {
      if (!settled(e)) throw e;
    }
  }

  return {
    name: 'root-ca-cert-publisher',
    caches: [{ resource: 'namespaces' }, { resource: 'configmaps' }],
    watches: [
      { resource: 'namespaces', keys: (ev) => (ev.type === 'DELETED' ? [] : [ev.name]) },
      { resource: 'configmaps', keys: (ev) => (ev.name === ROOT_CA_CONFIG_MAP && ev.type !== 'ADDED' ? [ev.namespace] : []) },
    ],
    initialKeys: () => cache.list('namespaces').map((n) => n.metadata.name!),
    reconcile,
  };
}
