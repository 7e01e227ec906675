import { describeResource } from './resource-suite.js';

describeResource({
  collection: '/api/v1/namespaces/default/events',
  allNamespaces: '/api/v1/events',
  kind: 'Event',
  apiVersion: 'v1',
  group: '',
  plural: 'events',
  createOnUpdate: true,
  valid: (name) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' },
    reason: 'Started',
    message: 'Started container c',
    type: 'Normal',
    source: { component: 'kubelet' },
    count: 1,
  }),
  mutate: (ev) => {
    ev.count = (ev.count ?? 1) + 1;
    return ev;
  },
  invalid: {
    object: {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'bad' },
      involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' },
      reason: 'X',
    },
    field: 'involvedObject.namespace',
  },
});
