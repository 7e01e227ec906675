/**
 * kube-apiserver's endpoint reconciler: the Endpoints and EndpointSlice `default/kubernetes` name the
 * API server's advertised address and port (named https), once the `kubernetes` Service exists.
 * Written only when they differ from that.
 */
import { deepEqual, type Stored } from '../../apimachinery/object.js';
import type { Registry } from '../../registry/registry.js';
import { API_SERVER_ENDPOINTS } from '../../resources/endpoints/api-server.js';
import type { Endpoints } from '../../resources/endpoints/schema.js';
import type { EndpointSlice } from '../../resources/endpointslices/schema.js';
import { SERVICE_NAME_LABEL } from '../endpointslice/plan.js';
import { isWriteRace } from '../runtime/write-races.js';

/** Upstream's discovery.LabelSkipMirror: the EndpointSlice mirroring controller leaves these Endpoints alone. */
const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

export interface AdvertisedAddress {
  address: string;
  port: number;
}

function desiredEndpoints({ address, port }: AdvertisedAddress): Stored<Endpoints> {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { ...API_SERVER_ENDPOINTS, labels: { [SKIP_MIRROR_LABEL]: 'true' } },
    subsets: [{ addresses: [{ ip: address }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  };
}

function desiredSlice({ address, port }: AdvertisedAddress): Stored<EndpointSlice> {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { ...API_SERVER_ENDPOINTS, labels: { [SERVICE_NAME_LABEL]: API_SERVER_ENDPOINTS.name } },
    addressType: address.includes(':') ? 'IPv6' : 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [{ name: 'https', protocol: 'TCP', port }],
  };
}

/** Creates or replaces one object when its `content` fields or labels differ from the desired ones. */
function ensure<T extends Stored<Endpoints> | Stored<EndpointSlice>>(
  registry: Registry,
  resource: string,
  group: string,
  desired: T,
  content: (keyof T)[],
): void {
  const store = registry.store<T>(resource, group);
  const { namespace, name } = API_SERVER_ENDPOINTS;
  const current = store.tryGet(namespace, name);
  try {
    if (!current) store.create(desired);
    else if (content.some((k) => !deepEqual(current[k], desired[k])) || !deepEqual(current.metadata.labels, desired.metadata.labels)) {
      store.update(namespace, name, { ...desired, metadata: { ...current.metadata, labels: desired.metadata.labels } });
    }
  } catch (e) {
    // A concurrent write: the next event brings the reconciler back.
    if (!isWriteRace(e)) throw e;
  }
}

export function syncApiServerEndpoints(registry: Registry, advertised: AdvertisedAddress): void {
  const { namespace, name } = API_SERVER_ENDPOINTS;
  if (!registry.store('services').tryGet(namespace, name)) return;
  ensure(registry, 'endpoints', '', desiredEndpoints(advertised), ['subsets']);
  ensure(registry, 'endpointslices', 'discovery.k8s.io', desiredSlice(advertised), ['addressType', 'endpoints', 'ports']);
}
