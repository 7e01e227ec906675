/** The cluster's controllers, in start order (the app starts the simulated kubelets' after them). */
import type { ControllerContext } from './context.js';
import type { Controller } from './runtime/controller.js';
import { apiServerEndpointsController } from './apiserver-endpoints/controller.js';
import { daemonSetController } from './daemonset/controller.js';
import { disruptionController } from './disruption/controller.js';
import { endpointsController } from './endpoints/controller.js';
import { endpointSliceController } from './endpointslice/controller.js';
import { garbageCollector } from './garbage-collector/controller.js';
import { namespaceController } from './namespace/controller.js';
import { podGcController } from './pod-gc/controller.js';
import { schedulerController } from './scheduler/scheduler-controller.js';
import { nodeLifecycleController } from './node-lifecycle/node-lifecycle-controller.js';
import { taintEvictionController } from './node-lifecycle/taint-eviction-controller.js';
import { kubernetesServiceController } from './kubernetes-service/controller.js';
import { serviceAccountsController } from './serviceaccounts/controller.js';
import { rootCaPublisher } from './serviceaccounts/root-ca-publisher.js';
import { clusterRoleAggregationController } from './clusterrole-aggregation/controller.js';
import { serviceCIDRController } from './servicecidrs/controller.js';
import { defaultServiceCIDRController } from './default-servicecidr/controller.js';
import { ipAddressRepairController } from './ipaddress-repair/controller.js';

export function buildControllers(ctx: ControllerContext): Controller[] {
  return [
    daemonSetController(ctx),
    disruptionController(ctx),
    endpointsController(ctx),
    endpointSliceController(ctx),
    apiServerEndpointsController(ctx),
    garbageCollector(ctx),
    namespaceController(ctx),
    podGcController(ctx),
    schedulerController(ctx),
    nodeLifecycleController(ctx),
    taintEvictionController(ctx),
    kubernetesServiceController(ctx),
    serviceAccountsController(ctx),
    rootCaPublisher(ctx),
    clusterRoleAggregationController(ctx),
    defaultServiceCIDRController(ctx),
    serviceCIDRController(ctx),
    ipAddressRepairController(ctx),
  ];
}
