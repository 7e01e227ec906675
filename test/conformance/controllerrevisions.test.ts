import { describeResource } from './resource-suite.js';

describeResource({
  collection: '/apis/apps/v1/namespaces/default/controllerrevisions',
  allNamespaces: '/apis/apps/v1/controllerrevisions',
  kind: 'ControllerRevision',
  apiVersion: 'apps/v1',
  group: 'apps',
  plural: 'controllerrevisions',
  valid: (name) => ({
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name },
    data: { spec: { template: { $patch: 'replace' } } },
    revision: 1,
  }),
  mutate: (cr) => {
    cr.revision = (cr.revision ?? 1) + 1;
    return cr;
  },
  invalid: { object: { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'bad' }, revision: 1 }, field: 'data' },
});
