/**
 * TEMPORARY (issue 12): the upstream protobuf message of each apiVersion/kind kubemock accepts in a
 * protobuf body, until the resource definitions carry their message names and the call site asks them.
 */
export const PROTOBUF_MESSAGES: Readonly<Record<string, string>> = {
  'v1/Namespace': 'k8s.io.api.core.v1.Namespace',
  'v1/Node': 'k8s.io.api.core.v1.Node',
  'v1/Pod': 'k8s.io.api.core.v1.Pod',
  'v1/Service': 'k8s.io.api.core.v1.Service',
  'v1/Event': 'k8s.io.api.core.v1.Event',
  'v1/Binding': 'k8s.io.api.core.v1.Binding',
  'v1/DeleteOptions': 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'meta.k8s.io/v1/DeleteOptions': 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions',
  'events.k8s.io/v1/Event': 'k8s.io.api.events.v1.Event',
  'apps/v1/DaemonSet': 'k8s.io.api.apps.v1.DaemonSet',
  'apps/v1/ControllerRevision': 'k8s.io.api.apps.v1.ControllerRevision',
  'coordination.k8s.io/v1/Lease': 'k8s.io.api.coordination.v1.Lease',
  'policy/v1/Eviction': 'k8s.io.api.policy.v1.Eviction',
  'policy/v1beta1/Eviction': 'k8s.io.api.policy.v1beta1.Eviction',
};

/** The upstream full name of the message of an apiVersion/kind, or undefined when it is not accepted. */
export function protobufMessageOf(apiVersion: string, kind: string): string | undefined {
  return PROTOBUF_MESSAGES[`${apiVersion}/${kind}`];
}
