import { describeResource } from './resource-suite.js';

describeResource({
  collection: '/api/v1/namespaces/default/pods',
  allNamespaces: '/api/v1/pods',
  kind: 'Pod',
  apiVersion: 'v1',
  group: '',
  plural: 'pods',
  valid: (name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } }),
  mutate: (pod) => {
    pod.spec.containers[0].image = 'nginx:1.26';
    return pod;
  },
  invalid: {
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'c' }] } },
    field: 'spec.containers[0].image',
  },
  status: { phase: 'Running', podIP: '10.244.1.5' },
  deleteReturnsObject: true,
});
