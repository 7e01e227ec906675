import { describeResource } from './resource-suite.js';

const ds = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name },
  spec: {
    selector: { matchLabels: { app: 'x' } },
    template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
  },
});

describeResource({
  collection: '/apis/apps/v1/namespaces/default/daemonsets',
  allNamespaces: '/apis/apps/v1/daemonsets',
  kind: 'DaemonSet',
  apiVersion: 'apps/v1',
  group: 'apps',
  plural: 'daemonsets',
  valid: ds,
  mutate: (obj) => {
    obj.spec.template.spec.containers[0].image = 'nginx:1.26';
    return obj;
  },
  invalid: {
    object: {
      ...ds('bad'),
      spec: { ...ds('bad').spec, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    },
    field: 'spec.template.metadata.labels',
  },
  tracksGeneration: true,
  status: { currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 1, observedGeneration: 1 },
});
