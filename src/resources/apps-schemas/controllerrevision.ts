/** apps/v1 ControllerRevision: an immutable snapshot a controller keeps for rollouts and rollback. */
import { Type } from '@sinclair/typebox';
import { field, gvk, int64, openObject } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';
import { APPS } from './daemonset.js';

export const ControllerRevisionSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(field(ObjectMetaSchema, 'Standard object metadata.')),
    data: Type.Optional(
      openObject('The recorded state, e.g. a patch holding the pod template; any JSON object, kept as is.', {
        $id: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
      }),
    ),
    revision: int64('Revision number of the recorded state; higher is newer.'),
  },
  {
    $id: `${APPS}.ControllerRevision`,
    description: 'An immutable snapshot of state, used by DaemonSets and StatefulSets to roll out and roll back.',
    ...gvk('apps', 'v1', 'ControllerRevision'),
  },
);
