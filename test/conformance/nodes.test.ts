import { describeResource } from './resource-suite.js';

describeResource({
  collection: '/api/v1/nodes',
  kind: 'Node',
  apiVersion: 'v1',
  group: '',
  plural: 'nodes',
  valid: (name) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} }),
  mutate: (node) => {
    node.spec = { ...node.spec, unschedulable: true };
    return node;
  },
  invalid: { object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'Bad_Name' } }, field: 'metadata.name' },
  status: { phase: 'Running' },
});
