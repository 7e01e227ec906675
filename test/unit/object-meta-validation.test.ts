import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, path, type FieldError } from '../../src/apimachinery/field-errors.js';
import type { ObjectMeta } from '../../src/apimachinery/object.js';
import {
  validateAnnotations,
  validateLabels,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type ObjectMetaOptions,
} from '../../src/apimachinery/validation/object-meta.js';
import { nameIsDns1035Label } from '../../src/apimachinery/validation/names.js';
import type { LabelSelector } from '../../src/apimachinery/labels.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const strings = (errs: FieldError[]): string[] => errs.map(errorString);
const NS: ObjectMetaOptions = { namespaced: true };
const CLUSTER: ObjectMetaOptions = { namespaced: false };
const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1' };

describe('validateObjectMeta', () => {
  const cases: [string, ObjectMeta, ObjectMetaOptions, string[]][] = [
    ['valid namespaced', { name: 'web', namespace: 'default' }, NS, []],
    ['valid cluster-scoped', { name: 'node-1.example.com' }, CLUSTER, []],
    ['no name', { namespace: 'default' }, NS, ['metadata.name: Required value: name or generateName is required']],
    [
      'generateName but no name yet',
      { generateName: 'web-', namespace: 'default' },
      NS,
      ['metadata.name: Required value: name or generateName is required'],
    ],
    ['generateName with a trailing dash is fine', { generateName: 'web-', name: 'web-x7k2p', namespace: 'd' }, NS, []],
    [
      'bad generateName',
      { generateName: 'Web-', name: 'web-abcde', namespace: 'd' },
      NS,
      [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`],
    ],
    ['bad name', { name: 'Bad_Name', namespace: 'default' }, NS, [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`]],
    [
      'name too long and bad',
      { name: 'A'.repeat(254) },
      CLUSTER,
      [
        `metadata.name: Invalid value: "${'A'.repeat(254)}": must be no more than 253 characters`,
        `metadata.name: Invalid value: "${'A'.repeat(254)}": ${SUBDOMAIN_MSG}`,
      ],
    ],
    [
      'dotted name as DNS label',
      { name: 'a.b' },
      { namespaced: false, nameIsDnsLabel: true },
      ['metadata.name: Invalid value: "a.b": must not contain dots'],
    ],
    [
      'uppercase name as DNS label',
      { name: 'Kube' },
      { namespaced: false, nameIsDnsLabel: true },
      [`metadata.name: Invalid value: "Kube": ${LABEL_MSG}`],
    ],
    [
      'custom name rule',
      { name: '1svc', namespace: 'd' },
      { namespaced: true, nameFn: nameIsDns1035Label },
      [
        "metadata.name: Invalid value: \"1svc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    ['namespace required', { name: 'web' }, NS, ['metadata.namespace: Required value']],
    ['namespace must be a label', { name: 'web', namespace: 'Bad' }, NS, [`metadata.namespace: Invalid value: "Bad": ${LABEL_MSG}`]],
    [
      'namespace on cluster kind',
      { name: 'n1', namespace: 'default' },
      CLUSTER,
      ['metadata.namespace: Forbidden: not allowed on this type'],
    ],
    [
      'negative generation',
      { name: 'a', generation: -1 },
      CLUSTER,
      ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    ],
    ['bad label key', { name: 'a', labels: { '-x': 'v' } }, CLUSTER, [`metadata.labels: Invalid value: "-x": ${NAME_PART_MSG}`]],
    ['bad label value', { name: 'a', labels: { x: 'a b' } }, CLUSTER, [`metadata.labels: Invalid value: "a b": ${LABEL_VALUE_MSG}`]],
    ['annotation keys ignore case', { name: 'a', annotations: { 'Example.COM/Key': 'v' } }, CLUSTER, []],
    [
      'bad annotation key',
      { name: 'a', annotations: { 'a b': 'v' } },
      CLUSTER,
      [`metadata.annotations: Invalid value: "a b": ${NAME_PART_MSG}`],
    ],
    ['finalizer ok', { name: 'a', finalizers: ['kubernetes.io/pv-protection', 'orphan'] }, CLUSTER, []],
    [
      'bad finalizer',
      { name: 'a', finalizers: ['a/b/c'] },
      CLUSTER,
      [
        "metadata.finalizers: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
    [
      'orphan and foregroundDeletion',
      { name: 'a', finalizers: ['orphan', 'foregroundDeletion'] },
      CLUSTER,
      [
        'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
      ],
    ],
    ['owner reference ok', { name: 'a', ownerReferences: [{ ...ref, controller: true }] }, CLUSTER, []],
    [
      'owner reference missing everything',
      { name: 'a', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
      CLUSTER,
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
      ],
    ],
    [
      'owner apiVersion "apps/" has no version',
      { name: 'a', ownerReferences: [{ ...ref, apiVersion: 'apps/' }] },
      CLUSTER,
      ['metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty'],
    ],
    [
      'an Event owner, printed with %#v (strings as strconv.Quote writes them)',
      { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e\u00a0', uid: 'u\u0001' }] },
      CLUSTER,
      [
        'metadata.ownerReferences: Invalid value: v1.OwnerReference{APIVersion:"v1", Kind:"Event", Name:"e\\u00a0", UID:"u\\x01", Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is disallowed from being an owner',
      ],
    ],
  ];
  for (const [name, meta, opts, want] of cases) {
    it(name, () => assert.deepEqual(strings(validateObjectMeta(meta, opts)), want));
  }

  it('rejects two controllers', () => {
    const meta: ObjectMeta = {
      name: 'a',
      ownerReferences: [
        { ...ref, controller: true },
        { ...ref, kind: 'DaemonSet', name: 'ds', uid: 'u2', controller: true },
      ],
    };
    const errs = validateObjectMeta(meta, CLUSTER);
    assert.equal(errs.length, 1);
    assert.equal(errs[0].field, 'metadata.ownerReferences');
    assert.equal(errs[0].type, 'FieldValueInvalid');
    assert.equal(
      errs[0].detail,
      'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/rs and DaemonSet/ds',
    );
    assert.match(
      errorString(errs[0]),
      /^metadata\.ownerReferences: Invalid value: \[\]v1\.OwnerReference\{v1\.OwnerReference\{APIVersion:"apps\/v1", Kind:"ReplicaSet", Name:"rs", UID:"u1", Controller:\(\*bool\)\(0x[0-9a-f]+\), BlockOwnerDeletion:\(\*bool\)\(nil\)\}, /,
    );
  });

  it('rejects an Event as owner', () => {
    const errs = validateObjectMeta({ name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] }, CLUSTER);
    assert.equal(errs.length, 1);
    assert.equal(errs[0].detail, '/v1, Kind=Event is disallowed from being an owner');
  });

  it('annotations over 256KiB are too long', () => {
    const big = { a: 'x'.repeat(262144 - 1) };
    assert.deepEqual(strings(validateAnnotations(big, path('metadata', 'annotations'))), []);
    const tooBig = { ab: 'x'.repeat(262144 - 1) };
    assert.deepEqual(strings(validateAnnotations(tooBig, path('metadata', 'annotations'))), [
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ]);
  });

  it('validateLabels reports key and value problems for each label', () => {
    assert.deepEqual(strings(validateLabels({ 'b/': '-', ok: 'fine' }, path('spec', 'template', 'metadata', 'labels'))), [
      'spec.template.metadata.labels: Invalid value: "b/": name part must be non-empty',
      `spec.template.metadata.labels: Invalid value: "b/": ${NAME_PART_MSG}`,
      `spec.template.metadata.labels: Invalid value: "-": ${LABEL_VALUE_MSG}`,
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = {
    name: 'web',
    namespace: 'default',
    uid: 'u1',
    resourceVersion: '5',
    generation: 2,
    creationTimestamp: '2024-01-02T03:04:05Z',
    labels: { app: 'web' },
  };
  const cases: [string, Partial<ObjectMeta>, string[]][] = [
    ['no change', {}, []],
    ['label change is fine', { labels: { app: 'web2' } }, []],
    ['name', { name: 'new' }, ['metadata.name: Invalid value: "new": field is immutable']],
    ['namespace', { namespace: 'other' }, ['metadata.namespace: Invalid value: "other": field is immutable']],
    ['uid', { uid: 'u2' }, ['metadata.uid: Invalid value: "u2": field is immutable']],
    [
      'creationTimestamp',
      { creationTimestamp: '2025-01-01T00:00:00Z' },
      ['metadata.creationTimestamp: Invalid value: 2025-01-01 00:00:00 +0000 UTC: field is immutable'],
    ],
    [
      'creationTimestamp with microseconds prints them as Go does',
      { creationTimestamp: '2025-01-01T00:00:00.123450Z' },
      ['metadata.creationTimestamp: Invalid value: 2025-01-01 00:00:00.12345 +0000 UTC: field is immutable'],
    ],
    ['same creationTimestamp, other spelling', { creationTimestamp: '2024-01-02T03:04:05.000Z' }, []],
    [
      'deletionTimestamp',
      { deletionTimestamp: '2025-01-01T00:00:00Z' },
      ['metadata.deletionTimestamp: Invalid value: 2025-01-01 00:00:00 +0000 UTC: field is immutable'],
    ],
    [
      'deletionGracePeriodSeconds',
      { deletionGracePeriodSeconds: 30 },
      ['metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable'],
    ],
    ['resourceVersion is left to the store', { resourceVersion: undefined }, []],
    ['generation decremented', { generation: 1 }, ['metadata.generation: Invalid value: 1: must not be decremented']],
    ['bad new label', { labels: { app: '-' } }, [`metadata.labels: Invalid value: "-": ${LABEL_VALUE_MSG}`]],
    [
      'bad new owner',
      { ownerReferences: [{ ...ref, uid: '' }] },
      ['metadata.ownerReferences.uid: Invalid value: "": uid must not be empty'],
    ],
    // apimachinery's ValidateObjectMetaAccessorUpdate checks no finalizer name (only the create validation does).
    ['bad new finalizer', { finalizers: ['-f'] }, []],
  ];
  for (const [name, change, want] of cases) {
    it(name, () => assert.deepEqual(strings(validateObjectMetaUpdate({ ...old, ...change }, old)), want));
  }
  it('a built-in kind (pkg/apis/core/validation): each finalizer without a domain must be a standard one, at its index', () => {
    const kube = { kubeFinalizers: true };
    assert.deepEqual(
      strings(validateObjectMetaUpdate({ ...old, finalizers: ['kubernetes', '-f', 'example.com/x'] }, old, undefined, kube)),
      ['metadata.finalizers[1]: Invalid value: "-f": name is neither a standard finalizer name nor is it fully qualified'],
    );
  });
  it('no new finalizers once deleting', () => {
    const deleting: ObjectMeta = { ...old, deletionTimestamp: '2024-02-01T00:00:00Z', finalizers: ['a'] };
    assert.deepEqual(strings(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting)), []);
    assert.deepEqual(strings(validateObjectMetaUpdate({ ...deleting, finalizers: ['a', 'c', 'b'] }, deleting)), [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b", "c"}',
    ]);
  });
});

describe('validateLabelSelector', () => {
  const fld = path('spec', 'selector');
  const cases: [string, LabelSelector | null, string[]][] = [
    ['null', null, []],
    ['empty', {}, []],
    [
      'valid',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a'] },
          { key: 'x', operator: 'Exists' },
        ],
      },
      [],
    ],
    ['bad matchLabels', { matchLabels: { app: '-' } }, [`spec.selector.matchLabels: Invalid value: "-": ${LABEL_VALUE_MSG}`]],
    [
      'In without values',
      { matchExpressions: [{ key: 'env', operator: 'In' }] },
      ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      'NotIn with []',
      {
        matchExpressions: [
          { key: 'a', operator: 'Exists' },
          { key: 'env', operator: 'NotIn', values: [] },
        ],
      },
      ["spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      'Exists with values',
      { matchExpressions: [{ key: 'env', operator: 'DoesNotExist', values: ['a'] }] },
      ["spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ],
    [
      'bad operator',
      { matchExpressions: [{ key: 'env', operator: 'Equals', values: ['a'] }] },
      ['spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator'],
    ],
    [
      'bad key',
      { matchExpressions: [{ key: '', operator: 'Exists' }] },
      [
        'spec.selector.matchExpressions[0].key: Invalid value: "": name part must be non-empty',
        `spec.selector.matchExpressions[0].key: Invalid value: "": ${NAME_PART_MSG}`,
      ],
    ],
    [
      'bad value',
      { matchExpressions: [{ key: 'k', operator: 'In', values: ['ok', 'not ok'] }] },
      [`spec.selector.matchExpressions[0].values[1]: Invalid value: "not ok": ${LABEL_VALUE_MSG}`],
    ],
  ];
  for (const [name, sel, want] of cases) {
    it(name, () => assert.deepEqual(strings(validateLabelSelector(sel, fld)), want));
  }
});
