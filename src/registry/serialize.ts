/** One serialisation per write, fields in the order kube-apiserver prints them. */
import { Type, type TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../apimachinery/object.js';
import { inSchemaOrder } from '../apimachinery/schema-order.js';
import { ObjectMetaSchema, typeMeta } from '../apimachinery/schemas/meta.js';

/** What is known of a kind without a schema: TypeMeta and ObjectMeta; its other fields stay as they are. */
const TYPE_AND_OBJECT_META = Type.Object({ ...typeMeta(), metadata: ObjectMetaSchema });

/**
 * The object as the API server's encoder writes its Go struct: every nested object's fields in the
 * schema's (= Go's declaration) order and map keys sorted. The result is a new object with its own
 * metadata (the caller may go on changing `obj`); deeper parts already in order are shared.
 * `previous`: the object's stored version (in that order already): parts `obj` shares with it are not walked.
 */
export function canonicalize<T extends KubeObject>(obj: T, schema: TSchema = TYPE_AND_OBJECT_META, previous?: KubeObject): T {
  const ordered = inSchemaOrder(obj, schema, previous);
  const out = ordered === obj ? { ...obj } : ordered;
  if (out.metadata === obj.metadata) out.metadata = { ...obj.metadata };
  return out;
}
