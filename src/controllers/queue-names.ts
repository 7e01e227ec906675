/**
 * The name each controller's work queue has in the workqueue_* metrics: kube-controller-manager's
 * queue name where upstream has a matching queue (the `Name` its controller gives client-go's
 * workqueue), else the controller's own name (the scheduler, the simulated kubelets and the API
 * server's own loops have no queue of that kind upstream).
 */
const UPSTREAM_QUEUE_NAMES: Readonly<Record<string, string>> = {
  'daemonset-controller': 'daemonset',
  'garbage-collector': 'garbage_collector_attempt_to_delete',
  'namespace-controller': 'namespace',
  'endpoints-controller': 'endpoint',
  'endpointslice-controller': 'endpoint_slice',
  'disruption-controller': 'disruption',
  'serviceaccount-controller': 'serviceaccount',
  'root-ca-cert-publisher': 'root_ca_cert_publisher',
  'clusterrole-aggregation-controller': 'ClusterRoleAggregator',
  'node-lifecycle': 'node_lifecycle_controller',
  'taint-eviction': 'noexec_taint_pod',
  // pkg/controller/servicecidrs names its queue after what it watches for.
  'service-cidr-controller': 'ipaddresses',
};

export function queueName(controller: string): string {
  return UPSTREAM_QUEUE_NAMES[controller] ?? controller;
}
