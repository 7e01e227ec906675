/** Names the service account machinery shares: the controllers that make these objects and the pod admission that relies on them. */

/** The account every namespace gets, and the one a pod without serviceAccountName runs as. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** The ConfigMap every namespace gets with the cluster's CA bundle under `ca.crt`. */
export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
