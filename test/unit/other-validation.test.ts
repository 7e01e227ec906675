import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldError } from '../../src/apimachinery/field-errors.js';
import { errorString } from '../../src/apimachinery/field-errors.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { validateControllerRevision, validateControllerRevisionUpdate } from '../../src/resources/controllerrevisions/validation.js';
import { validateEvent, validateEventUpdate } from '../../src/resources/events/validation.js';
import {
  validateNamespace,
  validateNamespaceFinalizeUpdate,
  validateNamespaceStatusUpdate,
} from '../../src/resources/namespaces/validation.js';
import { cidrFamilyOf } from '../../src/apimachinery/validation/ip.js';
import { validateNode, validateNodeMainUpdate, validateNodeUpdate } from '../../src/resources/nodes/validation.js';
import { validateService, validateServiceUpdate } from '../../src/resources/services/validation.js';
import type { StoredService } from '../../src/resources/stored.js';
import { validateUpdate as validateEventsV1Update } from '../../src/resources/events/events-v1.js';
import { attributeErrors } from '../../src/resources/authorization/definition.js';
import { validateCustomResourceDefinition } from '../../src/resources/customresourcedefinitions/validation.js';
import { validateRuntimeClass } from '../../src/resources/runtimeclasses/validation.js';
import { validateRoleBindingUpdate } from '../../src/resources/rbac-schemas/validation.js';
import type { RuntimeClass } from '../../src/resources/runtimeclasses/schema.js';
import type { RoleBinding } from '../../src/resources/rbac-schemas/kinds.js';
import type { CustomResourceDefinition } from '../../src/resources/customresourcedefinitions/schema.js';

/** The ObjectMeta validations the store would give a kind's update validation: none here (the spec alone is tested). */
const NO_META = { create: (): FieldError[] => [], update: (): FieldError[] => [] };

type Json = Record<string, any>;
const messages = (errs: FieldError[]): string[] => errs.map(errorString);

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

const obj = (kind: string, rest: Json, meta: Json = { name: 'x' }): KubeObject => ({ apiVersion: 'v1', kind, metadata: meta, ...rest });

describe('ControllerRevision', () => {
  const cr = (rest: Json): KubeObject => obj('ControllerRevision', rest, { name: 'x-5d8f7c', namespace: 'default' });
  const cases: [string, Json, string[]][] = [
    ['valid', { data: { spec: {} }, revision: 1 }, []],
    ['revision 0 and no revision are valid', { data: {}, revision: 0 }, []],
    ['missing data', { revision: 1 }, ['data: Required value: data is mandatory']],
    ['null data', { data: null, revision: 1 }, ['data: Required value: data is mandatory']],
    ['negative revision', { data: {}, revision: -1 }, ['revision: Invalid value: -1: must be greater than or equal to 0']],
    [
      'both',
      { revision: -2 },
      ['data: Required value: data is mandatory', 'revision: Invalid value: -2: must be greater than or equal to 0'],
    ],
  ];
  for (const [name, rest, want] of cases) it(name, () => assert.deepEqual(messages(validateControllerRevision(cr(rest))), want));

  it('allows revision changes but not data changes on update', () => {
    const old = cr({ data: { a: 1 }, revision: 1 });
    assert.deepEqual(messages(validateControllerRevisionUpdate(cr({ data: { a: 1 }, revision: 5 }), old, NO_META)), []);
    const errs = validateControllerRevisionUpdate(cr({ data: { a: 2 }, revision: 1 }), old, NO_META);
    assert.equal(errs.length, 1);
    assert.equal(errs[0].field, 'data');
    assert.equal(errs[0].detail, 'field is immutable');
    assert.equal(
      errorString(errs[0]),
      'data: Invalid value: &Unknown{TypeMeta:TypeMeta{APIVersion:,Kind:,},Raw:*[123 34 97 34 58 50 125],ContentEncoding:,ContentType:application/json,}: field is immutable',
    );
  });
});

describe('Node', () => {
  const node = (spec: Json): KubeObject => obj('Node', { spec }, { name: 'n1' });
  const cases: [string, Json, string[]][] = [
    ['no spec fields', {}, []],
    [
      'good taints',
      {
        taints: [
          { key: 'k', value: 'v', effect: 'NoSchedule' },
          { key: 'k', effect: 'NoExecute' },
          { key: 'node-role.kubernetes.io/control-plane', effect: 'PreferNoSchedule' },
        ],
      },
      [],
    ],
    [
      'bad effect',
      { taints: [{ key: 'k', effect: 'NoRun' }] },
      ['metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
    ],
    ['missing effect', { taints: [{ key: 'k' }] }, ['metadata.taints[0].effect: Required value']],
    ['bad key', { taints: [{ key: 'a b', effect: 'NoSchedule' }] }, [`metadata.taints[0].key: Invalid value: "a b": ${NAME_PART_MSG}`]],
    [
      'empty key',
      { taints: [{ effect: 'NoSchedule' }] },
      [
        'metadata.taints[0].key: Invalid value: "": name part must be non-empty',
        `metadata.taints[0].key: Invalid value: "": ${NAME_PART_MSG}`,
      ],
    ],
    [
      'bad value',
      { taints: [{ key: 'k', value: 'a b', effect: 'NoSchedule' }] },
      [`metadata.taints[0].value: Invalid value: "a b": ${LABEL_VALUE_MSG}`],
    ],
    [
      'duplicate key and effect',
      {
        taints: [
          { key: 'k', value: 'a', effect: 'NoSchedule' },
          { key: 'k', value: 'b', effect: 'NoSchedule' },
        ],
      },
      [
        'metadata.taints[1]: Duplicate value: core.Taint{Key:"k", Value:"b", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      ],
    ],
    ['podCIDR', { podCIDR: '10.244.1.0/24' }, []],
    ['bad podCIDR', { podCIDR: '10.244.1.0' }, [`spec.podCIDRs[0]: Invalid value: "10.244.1.0": ${CIDR_MSG}`]],
    ['dual stack', { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24', 'fd00::/64'] }, []],
    [
      'two IPv4',
      { podCIDRs: ['10.0.0.0/24', '10.0.1.0/24'] },
      ['spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "10.0.1.0/24"}: may specify no more than one CIDR for each IP family'],
    ],
    ['podCIDR with host bits and leading zeros (legacy fields take them)', { podCIDR: '010.244.1.7/024' }, []],
    [
      'a bad CIDR among two fails the dual-stack check too',
      { podCIDRs: ['10.0.0.0/24', 'fd00::/200'] },
      [
        `spec.podCIDRs[1]: Invalid value: "fd00::/200": ${CIDR_MSG}`,
        'spec.podCIDRs: Internal error: invalid PodCIDRs. failed to check with dual stack with error:invalid CIDR[1]: <nil> (invalid CIDR address: fd00::/200)',
        'spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "fd00::/200"}: may specify no more than one CIDR for each IP family',
      ],
    ],
    [
      'duplicate CIDR',
      { podCIDRs: ['10.0.0.0/24', '10.0.0.0/24'] },
      [
        'spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "10.0.0.0/24"}: may specify no more than one CIDR for each IP family',
        'spec.podCIDRs[1]: Duplicate value: "10.0.0.0/24"',
      ],
    ],
  ];
  for (const [name, spec, want] of cases) it(name, () => assert.deepEqual(messages(validateNode(node(spec))), want));

  it('parses CIDRs like ParseCIDRSloppy', () => {
    const cases: [string, 4 | 6 | undefined][] = [
      ['10.0.0.0/8', 4],
      ['010.0.0.0/8', 4],
      ['10.0.0.0/33', undefined],
      ['256.0.0.0/8', undefined],
      ['fd00::/64', 6],
      ['::/0', 6],
      ['2001:db8:0:0:0:0:0:1/128', 6],
      // Go asks the masked network: an IPv4-mapped one keeps IPv4 with a prefix of 96+, not below.
      ['::ffff:10.0.0.1/120', 4],
      ['::ffff:10.0.0.1/64', 6],
      ['10.0.0.0/0008', 4],
      ['fd00::1::2/64', undefined],
      ['fd00::/129', undefined],
      ['nonsense', undefined],
    ];
    for (const [cidr, want] of cases) assert.equal(cidrFamilyOf(cidr), want, cidr);
  });

  it('allows setting podCIDR and providerID once, and revalidates on update', () => {
    const old = node({});
    assert.deepEqual(messages(validateNodeUpdate(node({ podCIDR: '10.0.0.0/24', providerID: 'kind://n1' }), old)), []);
    const set = node({ podCIDR: '10.0.0.0/24', providerID: 'kind://n1' });
    assert.deepEqual(messages(validateNodeUpdate(node({ podCIDR: '10.0.1.0/24', providerID: 'kind://n2' }), set)), [
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
      'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
    ]);
    assert.deepEqual(messages(validateNodeMainUpdate(node({ taints: [{ key: 'k' }] }), old, NO_META)), [
      'metadata.taints[0].effect: Required value',
      'metadata.taints[0].effect: Required value',
    ]);
  });
});

describe('Namespace', () => {
  const ns = (finalizers?: string[]): KubeObject => obj('Namespace', finalizers ? { spec: { finalizers } } : {}, { name: 'ns1' });
  const cases: [string, string[] | undefined, string[]][] = [
    ['no spec', undefined, []],
    ['kubernetes', ['kubernetes'], []],
    ['qualified', ['example.com/cleanup'], []],
    [
      'not standard',
      ['cleanup'],
      ['spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified'],
    ],
    [
      'not a qualified name',
      ['a b'],
      [
        `spec.finalizers: Invalid value: "a b": ${NAME_PART_MSG}`,
        'spec.finalizers: Invalid value: "a b": name is neither a standard finalizer name nor is it fully qualified',
      ],
    ],
  ];
  for (const [name, finalizers, want] of cases) it(name, () => assert.deepEqual(messages(validateNamespace(ns(finalizers))), want));

  it('indexes finalizers on /finalize', () => {
    assert.deepEqual(messages(validateNamespaceFinalizeUpdate(ns(['kubernetes', 'x']))), [
      'spec.finalizers[1]: Invalid value: "x": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('checks the phase on status updates', () => {
    const active = obj('Namespace', { status: { phase: 'Active' } }, { name: 'ns1' });
    const terminating = obj('Namespace', { status: { phase: 'Terminating' } }, { name: 'ns1', deletionTimestamp: '2024-01-01T00:00:00Z' });
    assert.deepEqual(messages(validateNamespaceStatusUpdate(active)), []);
    assert.deepEqual(messages(validateNamespaceStatusUpdate(terminating)), []);
    assert.deepEqual(messages(validateNamespaceStatusUpdate(obj('Namespace', { status: { phase: 'Terminating' } }, { name: 'ns1' }))), [
      'status.Phase: Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty',
    ]);
    assert.deepEqual(
      messages(
        validateNamespaceStatusUpdate(
          obj('Namespace', { status: { phase: 'Active' } }, { name: 'ns1', deletionTimestamp: '2024-01-01T00:00:00Z' }),
        ),
      ),
      ['status.Phase: Invalid value: "Active": may only be \'Terminating\' if `deletionTimestamp` is not empty'],
    );
  });
});

describe('Event (core/v1)', () => {
  const ev = (namespace: string, rest: Json): KubeObject => obj('Event', rest, { name: 'x.17a', namespace });
  const cases: [string, string, Json, string[]][] = [
    [
      'matching namespaces',
      'default',
      { involvedObject: { kind: 'DaemonSet', namespace: 'default', name: 'x' }, reason: 'SuccessfulCreate', type: 'Normal' },
      [],
    ],
    ['cluster-scoped object in default', 'default', { involvedObject: { kind: 'Node', name: 'n1' } }, []],
    [
      'cluster-scoped object elsewhere',
      'ns1',
      { involvedObject: { kind: 'Node', name: 'n1' } },
      ['involvedObject.namespace: Invalid value: "": does not match event.namespace'],
    ],
    [
      'mismatch',
      'ns1',
      { involvedObject: { namespace: 'ns2' } },
      ['involvedObject.namespace: Invalid value: "ns2": does not match event.namespace'],
    ],
    ['any type is accepted by core/v1', 'default', { involvedObject: { namespace: 'default' }, type: 'Unusual' }, []],
    ['long reason without eventTime is accepted', 'default', { involvedObject: { namespace: 'default' }, reason: 'r'.repeat(300) }, []],
    [
      'eventTime requires the reporting fields',
      'default',
      { involvedObject: { namespace: 'default' }, eventTime: '2024-01-01T00:00:00.000000Z' },
      [
        'reportingController: Required value',
        'reportingController: Invalid value: "": name part must be non-empty',
        `reportingController: Invalid value: "": ${NAME_PART_MSG}`,
        'reportingInstance: Required value',
        'action: Required value',
        'reason: Required value',
      ],
    ],
    [
      'eventTime with over-long fields',
      'default',
      {
        involvedObject: { namespace: 'default' },
        eventTime: '2024-01-01T00:00:00.000000Z',
        reportingComponent: 'daemonset-controller',
        reportingInstance: 'i',
        action: 'Create',
        reason: 'r'.repeat(129),
        message: 'm'.repeat(1025),
      },
      ['reason: Invalid value: "": can have at most 128 characters', 'message: Invalid value: "": can have at most 1024 characters'],
    ],
  ];
  for (const [name, namespace, rest, want] of cases) it(name, () => assert.deepEqual(messages(validateEvent(ev(namespace, rest))), want));

  it('applies the same checks on update', () => {
    const bad = ev('ns1', { involvedObject: { namespace: 'ns2' } });
    assert.deepEqual(messages(validateEventUpdate(bad, bad)), [
      'involvedObject.namespace: Invalid value: "ns2": does not match event.namespace',
    ]);
  });
});

/**
 * Go-rendered values quote strings as Go's strconv.Quote does (%#v of a string field, of a
 * []string), which differs from JSON for control characters, DEL and non-printing runes.
 */
describe('Go quoting in rendered values', () => {
  const pick = (errs: FieldError[], part: string): string[] => messages(errs).filter((m) => m.includes(part));

  it('a duplicate taint (core.Taint %#v)', () => {
    const taints = [
      { key: 'k', value: 'b', effect: 'NoSchedule' },
      { key: 'k', value: 'b\u00a0', effect: 'NoSchedule' },
    ];
    assert.deepEqual(pick(validateNode(obj('Node', { spec: { taints } }, { name: 'n1' })), 'Duplicate value'), [
      'metadata.taints[1]: Duplicate value: core.Taint{Key:"k", Value:"b\\u00a0", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
    ]);
  });

  it('a duplicate node address (core.NodeAddress %#v)', () => {
    const address = { type: 'Internal\u0001IP', address: '10.0.0.1\u2028' };
    const node = obj('Node', { spec: {}, status: { addresses: [address, { ...address }] } }, { name: 'n1' });
    assert.deepEqual(pick(validateNodeUpdate(node, obj('Node', { spec: {} }, { name: 'n1' })), 'Duplicate value'), [
      'status.addresses[1]: Duplicate value: core.NodeAddress{Type:"Internal\\x01IP", Address:"10.0.0.1\\u2028"}',
    ]);
  });

  it('a duplicate service port (core.ServicePort %#v)', () => {
    const svc = {
      ...obj('Service', {}, { name: 's', namespace: 'default' }),
      spec: {
        type: 'ClusterIP',
        ports: [
          { name: 'a', protocol: 'T\u0001CP', port: 80, targetPort: 80 },
          { name: 'b', protocol: 'T\u0001CP', port: 80, targetPort: 80 },
        ],
      },
    } as unknown as StoredService;
    assert.deepEqual(pick(validateService(svc), 'Duplicate value'), [
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"T\\x01CP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
  });

  it('a changed service IP family ([]core.IPFamily %#v)', () => {
    const svc = (ipFamilies: string[]) =>
      ({
        ...obj('Service', {}, { name: 's', namespace: 'default', resourceVersion: '1' }),
        spec: {
          type: 'ClusterIP',
          clusterIP: '10.96.0.10',
          clusterIPs: ['10.96.0.10'],
          ipFamilies,
          ports: [{ port: 80, protocol: 'TCP' }],
        },
      }) as unknown as StoredService;
    assert.deepEqual(pick(validateServiceUpdate(svc(['IPv\u00a04']), svc(['IPv4']), NO_META), 'may not change once set'), [
      'spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv\\u00a04"}: may not change once set',
    ]);
  });

  it('events.k8s.io/v1 immutable references and sources (core.ObjectReference, core.EventSource %#v)', () => {
    const ev = (name: string, host: string) =>
      ({
        ...obj('Event', {}, { name: 'e', namespace: 'default' }),
        involvedObject: { kind: 'Pod', namespace: 'default', name },
        source: { component: 'c', host },
      }) as KubeObject;
    const errs = validateEventsV1Update(ev('p\u0001', 'h\u2028'), ev('p', 'h'), NO_META);
    assert.deepEqual(pick(errs, 'field is immutable'), [
      'involvedObject: Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"default", Name:"p\\x01", UID:"", APIVersion:"", ResourceVersion:"", FieldPath:""}: field is immutable',
      'source: Invalid value: core.EventSource{Component:"c", Host:"h\\u2028"}: field is immutable',
    ]);
  });

  it('both kinds of review attributes (authorization.NonResourceAttributes %#v)', () => {
    const errs = attributeErrors({ resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/a\u00a0', verb: 'g\u007fet' } });
    assert.deepEqual(messages(errs), [
      'spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/a\\u00a0", Verb:"g\\x7fet"}: cannot be specified in combination with resourceAttributes',
    ]);
  });

  it('a duplicate RuntimeClass toleration (core.Toleration %#v)', () => {
    const toleration = { key: 'k', operator: 'Equal', value: 'v\u0001', effect: 'NoSchedule' };
    const rc = {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'rc' },
      handler: 'runc',
      scheduling: { tolerations: [toleration, { ...toleration }] },
    };
    assert.deepEqual(pick(validateRuntimeClass(rc as unknown as RuntimeClass), 'Duplicate value'), [
      'scheduling.tolerations[1]: Duplicate value: core.Toleration{Key:"k", Operator:"Equal", Value:"v\\x01", Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}',
    ]);
  });

  it('a changed roleRef (rbac.RoleRef %#v)', () => {
    const binding = (name: string) =>
      ({
        metadata: { name: 'b', namespace: 'ns' },
        subjects: [],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      }) as unknown as RoleBinding;
    assert.deepEqual(pick(validateRoleBindingUpdate(binding('r\u2028'), binding('r'), NO_META), 'roleRef'), [
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"r\\u2028"}: cannot change roleRef',
    ]);
  });

  it('CRD versions and storedVersions (apiextensions.CustomResourceDefinitionVersion, []string %#v)', () => {
    const crd = (versions: Json[], storedVersions: string[]) =>
      ({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
          versions,
        },
        status: { storedVersions },
      }) as unknown as CustomResourceDefinition;
    const version = (name: string, storage: boolean) => ({ name, served: true, storage, schema: { openAPIV3Schema: { type: 'object' } } });
    const dup = validateCustomResourceDefinition(crd([version('v\u00011', true), version('v\u00011', false)], ['v\u00011']));
    assert.deepEqual(
      pick(dup, 'must contain unique version names').map((m) => m.replace(/, Schema:.*?}(?=, apiextensions|})/g, '…')),
      [
        'spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:"v\\x011", Served:true, Storage:true, Deprecated:false, DeprecationWarning:(*string)(nil)…, apiextensions.CustomResourceDefinitionVersion{Name:"v\\x011", Served:true, Storage:false, Deprecated:false, DeprecationWarning:(*string)(nil)…}: must contain unique version names',
      ],
    );
    const stored = validateCustomResourceDefinition(crd([version('v1', true)], ['v\u00a02']));
    assert.deepEqual(pick(stored, 'storedVersions'), [
      'status.storedVersions[0]: Invalid value: "v\\u00a02": must appear in spec.versions',
      'status.storedVersions: Invalid value: []string{"v\\u00a02"}: must have the storage version v1',
    ]);
  });
});
