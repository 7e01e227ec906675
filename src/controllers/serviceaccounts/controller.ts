/**
 * The service accounts controller (upstream ServiceAccountsController): every active namespace has
 * a ServiceAccount named `default`, created when the namespace appears and again whenever it is
 * deleted. A namespace that has one is left alone (nothing is written); a terminating or vanished
 * namespace gets nothing.
 */
import { StatusError } from '../../apimachinery/status.js';
import { DEFAULT_SERVICE_ACCOUNT } from '../../resources/serviceaccounts/default-account.js';
import type { StoredNamespace as Namespace } from '../../resources/stored.js';
import type { ControllerContext } from '../context.js';
import type { Controller } from '../runtime/controller.js';

/** The create lost a race (409), or the namespace is gone or terminating (404, 403): nothing to retry. */
const settled = (e: unknown) => e instanceof StatusError && [403, 404, 409].includes(e.code);

export function serviceAccountsController(ctx: ControllerContext): Controller {
  const { cache, registry } = ctx;
  const accounts = registry.store('serviceaccounts');

  function reconcile(namespace: string): void {
    const ns = cache.get<Namespace>('namespaces', undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase !== 'Active') return;
    if (cache.get('serviceaccounts', namespace, DEFAULT_SERVICE_ACCOUNT)) return;
    try {
      accounts.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } });
    } catch (e) {
      if (!settled(e)) throw e;
    }
  }

  return {
    name: 'serviceaccount-controller',
    caches: [{ resource: 'namespaces' }, { resource: 'serviceaccounts' }],
    watches: [
      { resource: 'namespaces', keys: (ev) => (ev.type === 'DELETED' ? [] : [ev.name]) },
      {
        resource: 'serviceaccounts',
        keys: (ev) => (ev.type === 'DELETED' && ev.name === DEFAULT_SERVICE_ACCOUNT ? [ev.namespace] : []),
      },
    ],
    initialKeys: () => cache.list('namespaces').map((n) => n.metadata.name!),
    reconcile,
  };
}
