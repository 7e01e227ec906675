import { describeResource } from './resource-suite.js';

describeResource({
  collection: '/api/v1/namespaces',
  kind: 'Namespace',
  apiVersion: 'v1',
  group: '',
  plural: 'namespaces',
  valid: (name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  mutate: (ns) => {
    ns.metadata.annotations = { ...(ns.metadata.annotations ?? {}), owner: 'team-a' };
    return ns;
  },
  invalid: { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }, field: 'metadata.name' },
  status: { phase: 'Active' },
  deleteReturnsObject: true,
});
