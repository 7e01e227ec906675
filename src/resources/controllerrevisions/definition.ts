/** apps/v1 ControllerRevision: an immutable snapshot of a template, with a revision number. */
import type { KubeObject } from '../../apimachinery/object.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';
import { listSchema } from '../../apimachinery/schemas/meta.js';
import { ControllerRevisionSchema } from '../apps-schemas/controllerrevision.js';
import { validateControllerRevision, validateControllerRevisionUpdate } from './validation.js';
import { table } from './table.js';

const controllerRevisions: ResourceDefinition<KubeObject> = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  listKind: 'ControllerRevisionList',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  schema: ControllerRevisionSchema,
  listSchema: listSchema(ControllerRevisionSchema, 'ControllerRevision'),
  protobuf: 'k8s.io.api.apps.v1.ControllerRevision',
  table,
  strategy: {
    validate: (cr) => validateControllerRevision(cr),
    validateUpdate: (cr, old, meta) => validateControllerRevisionUpdate(cr, old, meta),
  },
};

export default controllerRevisions;
