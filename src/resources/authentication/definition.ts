/**
 * authentication.k8s.io/v1 SelfSubjectReview: what `kubectl auth whoami` asks. The answer is the
 * requesting user's attributes as authentication decided them (upstream's selfsubjectreview REST:
 * a creation time, no name, the user in `status.userInfo`). Create-only and never stored
 * (ResourceDefinition.virtual); kubectl 1.32+ POSTs it as protobuf, accepted without being decoded,
 * as the answer does not depend on the question.
 */
import { rfc3339, type KubeObject } from '../../apimachinery/object.js';
import { openKindSchemas } from '../../apimachinery/schemas/open-kind.js';
import type { UserInfo } from '../../apimachinery/user-info.js';
import type { ResourceDefinition } from '../../registry/resource-definition.js';

const GROUP = 'authentication.k8s.io';
const VERSION = 'v1';
const KIND = 'SelfSubjectReview';

/** authentication/v1 UserInfo: empty fields left out (omitempty). */
export function userInfoOf(user: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { username: user.username };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length) out.extra = user.extra;
  return out;
}

const schemas = openKindSchemas(GROUP, VERSION, KIND);

export const selfSubjectReviews: ResourceDefinition = {
  group: GROUP,
  version: VERSION,
  kind: KIND,
  listKind: `${KIND}List`,
  plural: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  namespaced: false,
  schema: schemas.kind,
  listSchema: schemas.list,
  protobuf: `k8s.io.api.authentication.v1.${KIND}`,
  strategy: {},
  virtual: {
    create: (_body, _namespace, request): KubeObject => ({
      kind: KIND,
      apiVersion: `${GROUP}/${VERSION}`,
      metadata: { creationTimestamp: rfc3339(request.now) },
      status: { userInfo: userInfoOf(request.user) },
    }),
  },
};

export default [selfSubjectReviews];
