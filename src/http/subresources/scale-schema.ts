/** autoscaling/v1 Scale, the body of a scale subresource: its Go types, which decode a PUT or a patched Scale. */
import { Type } from '@sinclair/typebox';
import { int32, str } from '../../apimachinery/schemas/extensions.js';
import { ObjectMetaSchema, typeMeta } from '../../apimachinery/schemas/meta.js';

const AUTOSCALING = 'io.k8s.api.autoscaling.v1';

export const ScaleSchema = Type.Object(
  {
    ...typeMeta(),
    metadata: Type.Optional(ObjectMetaSchema),
    spec: Type.Optional(
      Type.Object(
        { replicas: Type.Optional(int32('The desired number of instances of the scaled object.')) },
        { $id: `${AUTOSCALING}.ScaleSpec`, description: 'The desired scale.' },
      ),
    ),
    status: Type.Optional(
      Type.Object(
        {
          replicas: Type.Optional(int32('The actual number of observed instances of the scaled object.')),
          selector: Type.Optional(str('The label query over pods that should match the replicas count, in its string form.')),
        },
        { $id: `${AUTOSCALING}.ScaleStatus`, description: 'The current scale.' },
      ),
    ),
  },
  { $id: `${AUTOSCALING}.Scale`, description: 'A scaling request for a resource.' },
);
