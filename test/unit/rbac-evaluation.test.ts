/**
 * The RBAC evaluator against tables of rules and requests: rule matching (verbs, groups, resources,
 * subresources and `*`/sub wildcards, resourceNames, non-resource URLs with a `*` suffix), the
 * bindings that apply to a user (ClusterRoleBindings, RoleBindings to Roles and ClusterRoles,
 * users, groups, service accounts), aggregation, escalation coverage, and impersonation's checks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributes, forbiddenMessage, forbiddenRequest, type Attributes } from '../../src/apimachinery/authorization.js';
import type { UserInfo } from '../../src/apimachinery/user-info.js';
import { ruleAllows } from '../../src/resources/rbac-policy/rule-matching.js';
import { Policy, type PolicyObjects } from '../../src/resources/rbac-policy/policy.js';
import { aggregatedRules } from '../../src/resources/rbac-policy/aggregation.js';
import { compactString, missingRules } from '../../src/resources/rbac-policy/rule-coverage.js';
import { preventRoleEscalation } from '../../src/resources/rbac-policy/escalation.js';
import { BOOTSTRAP_CLUSTER_ROLES } from '../../src/resources/rbac-policy/bootstrap-policy.js';
import { impersonatedUser } from '../../src/http/auth/impersonation.js';
import type { PolicyRule } from '../../src/resources/rbac-schemas/schema.js';
import type { ClusterRole } from '../../src/resources/rbac-schemas/kinds.js';

const user = (username: string, ...groups: string[]): UserInfo => ({ username, groups });
const JANE = user('jane', 'system:authenticated');

function resource(verb: string, res: string, parts: Partial<Attributes> = {}): Attributes {
  const [r, sub] = res.split('/');
  return attributes(JANE, verb, { resourceRequest: true, resource: r, subresource: sub ?? '', ...parts });
}
const path = (verb: string, p: string) => attributes(JANE, verb, { path: p });

describe('ruleAllows', () => {
  const cases: [string, PolicyRule, Attributes, boolean][] = [
    ['exact verb, group and resource', { verbs: ['list'], apiGroups: [''], resources: ['pods'] }, resource('list', 'pods'), true],
    ['another verb', { verbs: ['list'], apiGroups: [''], resources: ['pods'] }, resource('watch', 'pods'), false],
    ['verb *', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, resource('deletecollection', 'pods'), true],
    ['another group', { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, resource('get', 'pods'), false],
    ['group *', { verbs: ['get'], apiGroups: ['*'], resources: ['daemonsets'] }, resource('get', 'daemonsets', { apiGroup: 'apps' }), true],
    ['resource * covers subresources', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, resource('get', 'pods/log'), true],
    [
      'a resource does not cover its subresource',
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      resource('get', 'pods/log'),
      false,
    ],
    ['resource/subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, resource('get', 'pods/log'), true],
    [
      'a subresource does not cover its resource',
      { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] },
      resource('get', 'pods'),
      false,
    ],
    [
      '*/scale covers any scale',
      { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] },
      resource('update', 'widgets/scale'),
      true,
    ],
    ['*/scale is not */status', { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, resource('update', 'pods/status'), false],
    ['*/scale is not a resource', { verbs: ['get'], apiGroups: ['*'], resources: ['*/scale'] }, resource('get', 'scale'), false],
    [
      'resourceNames: the named object',
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      resource('get', 'configmaps', { name: 'a' }),
      true,
    ],
    [
      'resourceNames: another object',
      { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      resource('get', 'configmaps', { name: 'b' }),
      false,
    ],
    [
      'resourceNames: a list has no name',
      { verbs: ['list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
      resource('list', 'configmaps'),
      false,
    ],
    ['non-resource URL exact', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, path('get', '/healthz'), true],
    ['non-resource URL is not a prefix', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, path('get', '/healthz/etcd'), false],
    ['non-resource URL * suffix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path('get', '/apis/apps/v1'), true],
    ['non-resource URL * suffix needs the prefix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, path('get', '/apis'), false],
    ['non-resource URL *', { verbs: ['*'], nonResourceURLs: ['*'] }, path('post', '/kubemock/v1/clock'), true],
    ['a resource rule never grants a path', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, path('get', '/version'), false],
    ['a URL rule never grants a resource', { verbs: ['*'], nonResourceURLs: ['*'] }, resource('get', 'pods'), false],
  ];
  for (const [name, rule, attrs, allowed] of cases) it(name, () => assert.equal(ruleAllows(attrs, rule), allowed));
});

const RBAC = 'rbac.authorization.k8s.io';
const ref = (kind: string, name: string) => ({ apiGroup: RBAC, kind, name });
const meta = (name: string, namespace?: string) => (namespace ? { name, namespace } : { name });

const objects: PolicyObjects = {
  clusterRoles: [
    { metadata: meta('pod-reader'), rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] },
    { metadata: meta('node-reader'), rules: [{ verbs: ['list'], apiGroups: [''], resources: ['nodes'] }] },
    { metadata: meta('health'), rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] },
  ],
  roles: [
    {
      metadata: meta('cm-editor', 'team'),
      rules: [{ verbs: ['update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] }],
    },
  ],
  clusterRoleBindings: [
    {
      metadata: meta('nodes-to-ops'),
      subjects: [{ kind: 'Group', apiGroup: RBAC, name: 'ops' }],
      roleRef: ref('ClusterRole', 'node-reader'),
    },
    {
      metadata: meta('health-to-all'),
      subjects: [{ kind: 'Group', apiGroup: RBAC, name: 'system:authenticated' }],
      roleRef: ref('ClusterRole', 'health'),
    },
  ],
  roleBindings: [
    {
      metadata: meta('jane-pods', 'team'),
      subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jane' }],
      roleRef: ref('ClusterRole', 'pod-reader'),
    },
    { metadata: meta('jane-cm', 'team'), subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jane' }], roleRef: ref('Role', 'cm-editor') },
    { metadata: meta('sa-pods', 'team'), subjects: [{ kind: 'ServiceAccount', name: 'op' }], roleRef: ref('ClusterRole', 'pod-reader') },
    { metadata: meta('dangling', 'other'), subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jane' }], roleRef: ref('Role', 'gone') },
  ],
};

describe('Policy: which bindings apply', () => {
  const policy = new Policy(objects);
  const SA = user('system:serviceaccount:team:op', 'system:serviceaccounts', 'system:authenticated');
  const cases: [string, UserInfo, Attributes, boolean, string][] = [
    [
      'a RoleBinding to a ClusterRole grants it in its namespace',
      JANE,
      resource('list', 'pods', { namespace: 'team' }),
      true,
      'RBAC: allowed by RoleBinding "jane-pods/team" of ClusterRole "pod-reader" to User "jane"',
    ],
    ['… and nowhere else', JANE, resource('list', 'pods', { namespace: 'default' }), false, ''],
    ['… nor cluster-wide', JANE, resource('list', 'pods'), false, ''],
    [
      'a RoleBinding to a Role with resourceNames',
      JANE,
      resource('update', 'configmaps', { namespace: 'team', name: 'settings' }),
      true,
      'RBAC: allowed by RoleBinding "jane-cm/team" of Role "cm-editor" to User "jane"',
    ],
    ['… not another name', JANE, resource('update', 'configmaps', { namespace: 'team', name: 'other' }), false, ''],
    [
      'a ClusterRoleBinding to a group',
      user('bob', 'ops'),
      resource('list', 'nodes'),
      true,
      'RBAC: allowed by ClusterRoleBinding "nodes-to-ops" of ClusterRole "node-reader" to Group "ops"',
    ],
    [
      '… applies in every namespace',
      user('bob', 'ops'),
      resource('list', 'nodes', { namespace: 'x' }),
      true,
      'RBAC: allowed by ClusterRoleBinding "nodes-to-ops" of ClusterRole "node-reader" to Group "ops"',
    ],
    [
      'a non-resource URL through system:authenticated',
      JANE,
      path('get', '/healthz'),
      true,
      'RBAC: allowed by ClusterRoleBinding "health-to-all" of ClusterRole "health" to Group "system:authenticated"',
    ],
    [
      'a ServiceAccount subject defaults to the binding namespace',
      SA,
      resource('get', 'pods', { namespace: 'team' }),
      true,
      'RBAC: allowed by RoleBinding "sa-pods/team" of ClusterRole "pod-reader" to ServiceAccount "op/team"',
    ],
    [
      '… a same-named account elsewhere is another user',
      user('system:serviceaccount:other:op'),
      resource('get', 'pods', { namespace: 'team' }),
      false,
      '',
    ],
    [
      'a binding to a missing role is reported',
      JANE,
      resource('get', 'pods', { namespace: 'other' }),
      false,
      'RBAC: role.rbac.authorization.k8s.io "gone" not found',
    ],
  ];
  for (const [name, who, attrs, allowed, reason] of cases) {
    it(name, () => assert.deepEqual(policy.authorize({ ...attrs, user: who }), { allowed, reason }));
  }

  it('rulesFor lists the cluster-wide rules, then those of the namespace (bindings by name); errors make it incomplete', () => {
    const team = policy.rulesFor(JANE, 'team');
    assert.deepEqual(team.nonResourceRules, [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]);
    assert.deepEqual(team.resourceRules, [
      { verbs: ['update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] },
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: [] },
    ]);
    assert.equal(team.incomplete, false);
    const other = policy.rulesFor(JANE, 'other');
    assert.equal(other.incomplete, true);
    assert.equal(other.evaluationError, 'role.rbac.authorization.k8s.io "gone" not found');
  });
});

describe('403 messages', () => {
  it('namespace, cluster scope, subresource and path variants', () => {
    assert.equal(
      forbiddenMessage(resource('list', 'pods', { namespace: 'y' })),
      'User "jane" cannot list resource "pods" in API group "" in the namespace "y"',
    );
    assert.equal(
      forbiddenMessage(resource('create', 'pods/eviction', { namespace: 'y', name: 'p' })),
      'User "jane" cannot create resource "pods/eviction" in API group "" in the namespace "y"',
    );
    assert.equal(
      forbiddenMessage(resource('list', 'nodes')),
      'User "jane" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    assert.equal(forbiddenMessage(path('get', '/metrics')), 'User "jane" cannot get path "/metrics"');
  });

  it('quotes the user, resource, group, namespace and path with %q (strconv.Quote), and the name of a 403', () => {
    const odd = user('ja\u0001ne');
    assert.equal(
      forbiddenMessage(
        attributes(odd, 'list', { resourceRequest: true, apiGroup: 'ex\u00a0', resource: 'wid\u2028gets', namespace: 'n\u007f' }),
      ),
      'User "ja\\x01ne" cannot list resource "wid\\u2028gets" in API group "ex\\u00a0" in the namespace "n\\x7f"',
    );
    assert.equal(forbiddenMessage(attributes(odd, 'get', { path: '/a\u0001' })), 'User "ja\\x01ne" cannot get path "/a\\x01"');
    const denied = forbiddenRequest(
      attributes(odd, 'get', { resourceRequest: true, resource: 'pods', name: 'p\u00a0', namespace: 'n' }),
      '',
    );
    assert.equal(
      denied.message,
      'pods "p\\u00a0" is forbidden: User "ja\\x01ne" cannot get resource "pods" in API group "" in the namespace "n"',
    );
  });
});

describe('aggregation', () => {
  const role = (name: string, labels: Record<string, string>, rules: PolicyRule[], selector?: Record<string, string>): ClusterRole => ({
    metadata: { name, labels },
    rules,
    ...(selector ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: selector }] } } : {}),
  });
  const a: PolicyRule = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const b: PolicyRule = { verbs: ['list'], apiGroups: ['apps'], resources: ['daemonsets'] };

  it('gathers the rules of every other selected role, by name, each rule once', () => {
    const target = role('target', { agg: 'true' }, [], { agg: 'true' });
    const all = [target, role('z-second', { agg: 'true' }, [b, a]), role('a-first', { agg: 'true' }, [a]), role('unlabelled', {}, [b])];
    assert.deepEqual(aggregatedRules(target, all), [a, b]);
    assert.equal(aggregatedRules(role('plain', {}, [a]), all), undefined);
  });

  it('the default admin, edit and view aggregate in a chain: view ⊂ edit ⊂ admin', () => {
    const rulesOf = (name: string) => BOOTSTRAP_CLUSTER_ROLES.find((r) => r.metadata?.name === name)!.rules!;
    const bound = (name: string) =>
      new Policy({
        clusterRoles: [...BOOTSTRAP_CLUSTER_ROLES],
        roles: [],
        roleBindings: [
          { metadata: meta('b', 'ns'), subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jane' }], roleRef: ref('ClusterRole', name) },
        ],
        clusterRoleBindings: [],
      });
    assert.ok(rulesOf('view').length > 0);
    const listPods = resource('list', 'pods', { namespace: 'ns' });
    const createPods = resource('create', 'pods', { namespace: 'ns' });
    const createRoles = resource('create', 'roles', { namespace: 'ns', apiGroup: RBAC });
    const readSecrets = resource('get', 'secrets', { namespace: 'ns' });
    assert.deepEqual(
      ['view', 'edit', 'admin'].map((r) => bound(r).authorize(listPods).allowed),
      [true, true, true],
    );
    assert.deepEqual(
      ['view', 'edit', 'admin'].map((r) => bound(r).authorize(createPods).allowed),
      [false, true, true],
    );
    assert.deepEqual(
      ['view', 'edit', 'admin'].map((r) => bound(r).authorize(createRoles).allowed),
      [false, false, true],
    );
    assert.deepEqual(
      ['view', 'edit', 'admin'].map((r) => bound(r).authorize(readSecrets).allowed),
      [false, true, true],
    );
  });
});

describe('escalation coverage', () => {
  const held: PolicyRule[] = [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/status'] },
    { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] },
    { verbs: ['get'], nonResourceURLs: ['/logs/*'] },
  ];
  const cases: [string, PolicyRule[], string[]][] = [
    ['what is held', [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }], []],
    ['a held */subresource', [{ verbs: ['get'], apiGroups: [''], resources: ['nodes/status'] }], []],
    [
      'more verbs, compacted into one line',
      [{ verbs: ['list', 'delete', 'create'], apiGroups: [''], resources: ['pods'] }],
      ['{APIGroups:[""], Resources:["pods"], Verbs:["delete" "create"]}'],
    ],
    ['a named object held', [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'] }], []],
    [
      'all objects when one is held',
      [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }],
      ['{APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}'],
    ],
    ['a URL under a held prefix', [{ verbs: ['get'], nonResourceURLs: ['/logs/kube'] }], []],
    ['a URL outside it', [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }], ['{NonResourceURLs:["/metrics"], Verbs:["get"]}']],
  ];
  for (const [name, granted, missing] of cases) it(name, () => assert.deepEqual(missingRules(held, granted).map(compactString), missing));
});

describe('Go quoting in RBAC texts (%q)', () => {
  it('CompactString quotes each list element as strconv.Quote does', () => {
    assert.equal(
      compactString({ apiGroups: [''], resources: ['pods\u00a0'], verbs: ['g\u0001et'] }),
      '{APIGroups:[""], Resources:["pods\\u00a0"], Verbs:["g\\x01et"]}',
    );
  });

  it('the reason names binding, role and subject with %q; a missing role is a NotFound with %q', () => {
    const user = (username: string): UserInfo => ({ username, groups: ['system:authenticated'] });
    const policy = new Policy({
      clusterRoles: [{ metadata: meta('node\u2028reader'), rules: [{ verbs: ['list'], apiGroups: [''], resources: ['nodes'] }] }],
      roles: [],
      roleBindings: [],
      clusterRoleBindings: [
        {
          metadata: meta('b'),
          subjects: [{ kind: 'User', apiGroup: RBAC, name: 'ja\u00a0ne' }],
          roleRef: ref('ClusterRole', 'node\u2028reader'),
        },
        { metadata: meta('c'), subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jo\u0001' }], roleRef: ref('ClusterRole', 'go\u0001ne') },
      ],
    });
    const listNodes = (who: UserInfo) => ({ ...resource('list', 'nodes'), user: who });
    assert.equal(
      policy.authorize(listNodes(user('ja\u00a0ne'))).reason,
      'RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "node\\u2028reader" to User "ja\\u00a0ne"',
    );
    assert.equal(policy.rulesFor(user('jo\u0001'), '').evaluationError, 'clusterrole.rbac.authorization.k8s.io "go\\x01ne" not found');
  });

  it('an escalation names the user and groups with %q', () => {
    const empty = { get: () => undefined, list: () => [], names: () => [] };
    const role = { metadata: { name: 'r', namespace: 'ns' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] };
    assert.throws(
      () => preventRoleEscalation(role, empty, { username: 'da\u00a0na', groups: ['g\u0001'] }),
      (e: Error) =>
        e.message ===
        'roles.rbac.authorization.k8s.io "r" is forbidden: user "da\\u00a0na" (groups=["g\\x01"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}',
    );
  });
});

describe('impersonation checks', () => {
  const policy = new Policy({
    clusterRoles: [
      {
        metadata: meta('impersonate-bob'),
        rules: [{ verbs: ['impersonate'], apiGroups: ['authentication.k8s.io'], resources: ['users'], resourceNames: ['bob'] }],
      },
      { metadata: meta('impersonate-sa'), rules: [{ verbs: ['impersonate'], apiGroups: [''], resources: ['serviceaccounts'] }] },
    ],
    roles: [],
    roleBindings: [
      {
        metadata: meta('sa', 'team'),
        subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jane' }],
        roleRef: ref('ClusterRole', 'impersonate-sa'),
      },
    ],
    clusterRoleBindings: [
      { metadata: meta('bob'), subjects: [{ kind: 'User', apiGroup: RBAC, name: 'jane' }], roleRef: ref('ClusterRole', 'impersonate-bob') },
    ],
  });
  const authorizer = { authorize: (a: Attributes) => policy.authorize(a), rulesFor: () => policy.rulesFor(JANE, '') };
  const headers = (...pairs: string[]) => pairs;

  it('a permitted user is taken on, with system:authenticated added', () => {
    assert.deepEqual(impersonatedUser(JANE, headers('Impersonate-User', 'bob'), authorizer), {
      username: 'bob',
      groups: ['system:authenticated'],
    });
  });

  it('a service account in a namespace where impersonating accounts is granted gets its groups', () => {
    assert.deepEqual(impersonatedUser(JANE, headers('Impersonate-User', 'system:serviceaccount:team:op'), authorizer), {
      username: 'system:serviceaccount:team:op',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:team', 'system:authenticated'],
    });
  });

  it('anything else is refused with the 403 of the first part not allowed', () => {
    const refused = (pairs: string[]) => {
      try {
        impersonatedUser(JANE, pairs, authorizer);
      } catch (e) {
        return (e as { status: { message: string; code: number } }).status;
      }
      assert.fail('impersonation was allowed');
    };
    assert.deepEqual(refused(headers('Impersonate-User', 'carol')), {
      ...refused(headers('Impersonate-User', 'carol')),
      code: 403,
      message:
        'users.authentication.k8s.io "carol" is forbidden: User "jane" cannot impersonate resource "users" in API group "authentication.k8s.io" at the cluster scope',
    });
    assert.equal(
      refused(headers('Impersonate-User', 'bob', 'Impersonate-Group', 'admins')).message,
      'groups.authentication.k8s.io "admins" is forbidden: User "jane" cannot impersonate resource "groups" in API group "authentication.k8s.io" at the cluster scope',
    );
    assert.equal(
      refused(headers('Impersonate-User', 'system:serviceaccount:prod:op')).message,
      'serviceaccounts "op" is forbidden: User "jane" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "prod"',
    );
  });
});
