/**
 * kube-apiserver's authorizer chain as kubemock has it: members of system:masters are allowed
 * everything at once (the privileged-group authorizer, before any policy is read), everyone else is
 * asked of RBAC. The policy index is rebuilt on the first request after a role or binding changed.
 */
import type { Attributes, Authorizer, Decision, UserRules } from '../../apimachinery/authorization.js';
import { isPrivileged, type UserInfo } from '../../apimachinery/user-info.js';
import { resourceKey, type ClusterReader } from '../../registry/resource-definition.js';
import { RBAC_GROUP } from '../rbac-schemas/schema.js';
import type { WatchHub } from '../../registry/watch-hub.js';
import { Policy } from './policy.js';

const POLICY_RESOURCES = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].map((plural) => resourceKey(RBAC_GROUP, plural));

const ALLOWED_TO_MASTERS: Decision = { allowed: true, reason: '' };

export class RbacAuthorizer implements Authorizer {
  private policy: Policy | undefined;
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly cluster: ClusterReader,
    hub: WatchHub,
  ) {
    const stale = () => {
      this.policy = undefined;
    };
    this.unsubscribe = [...POLICY_RESOURCES.map((r) => hub.subscribe(r, stale)), hub.onReset(stale)];
  }

  /** The policy as stored now. */
  current(): Policy {
    return (this.policy ??= Policy.read(this.cluster));
  }

  authorize(attrs: Attributes): Decision {
    if (isPrivileged(attrs.user)) return ALLOWED_TO_MASTERS;
    return this.current().authorize(attrs);
  }

  rulesFor(user: UserInfo, namespace: string): UserRules {
    return this.current().rulesFor(user, namespace);
  }

  close(): void {
    for (const u of this.unsubscribe) u();
  }
}
