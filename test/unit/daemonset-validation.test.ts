import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldError } from '../../src/apimachinery/field-errors.js';
import { errorString } from '../../src/apimachinery/field-errors.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { invalid } from '../../src/apimachinery/status.js';
import { defaultDaemonSet } from '../../src/resources/daemonsets/defaults.js';
import {
  validateDaemonSet,
  validateDaemonSetStatus,
  validateDaemonSetStatusUpdate,
  validateDaemonSetUpdate,
} from '../../src/resources/daemonsets/validation.js';

/** The ObjectMeta validations the store would give a kind's update validation: none here (the spec alone is tested). */
const NO_META = { create: (): FieldError[] => [], update: (): FieldError[] => [] };

type Json = Record<string, any>;

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const PERCENT_MSG =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** A DaemonSet built from a valid one with `patch` applied to its spec, then defaulted (as the API does). */
function makeDs(patch: (spec: Json) => void = () => {}, opts: { skipDefaults?: boolean } = {}): KubeObject & Json {
  const d: Json = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'x', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
  patch(d.spec);
  if (!opts.skipDefaults) defaultDaemonSet(d as KubeObject);
  return d as KubeObject & Json;
}

const messages = (errs: FieldError[]): string[] => errs.map(errorString);
const check = (patch: (spec: Json) => void, opts?: { skipDefaults?: boolean }): string[] =>
  messages(validateDaemonSet(makeDs(patch, opts)));

describe('validateDaemonSet', () => {
  it('accepts a defaulted minimal DaemonSet', () =>
    assert.deepEqual(
      check(() => {}),
      [],
    ));

  const cases: [string, (s: Json) => void, string[]][] = [
    // 1. selector syntax
    [
      'In without values',
      (s) => (s.selector = { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] }),
      ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    ],
    [
      'Exists with values',
      (s) => (s.selector = { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['a'] }] }),
      ["spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"],
    ],
    [
      'unknown operator',
      (s) => (s.selector = { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'Foo' }] }),
      ['spec.selector.matchExpressions[0].operator: Invalid value: "Foo": not a valid selector operator'],
    ],
    [
      'bad matchLabels value',
      (s) => (s.selector = { matchLabels: { app: 'a b' } }),
      [`spec.selector.matchLabels: Invalid value: "a b": ${LABEL_VALUE_MSG}`],
    ],
    // 2. selector does not match the template labels
    [
      'selector does not match',
      (s) => (s.template.metadata.labels = { app: 'y' }),
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`'],
    ],
    [
      'template without labels',
      (s) => delete s.template.metadata.labels,
      ['spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`'],
    ],
    [
      'no selector selects nothing',
      (s) => delete s.selector,
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
    ],
    [
      'selector expression not met',
      (s) => (s.selector = { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }),
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'],
    ],
    [
      'several template labels print sorted',
      (s) => (s.template.metadata.labels = { z: '1', app: 'y' }),
      ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"y", "z":"1"}: `selector` does not match template `labels`'],
    ],
    // 3. empty selector
    [
      'empty selector',
      (s) => (s.selector = {}),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
      ],
    ],
    [
      'empty matchLabels map is still empty',
      (s) => (s.selector = { matchLabels: {}, matchExpressions: [] }),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement{}}: empty selector is invalid for daemonset',
      ],
    ],
    // 4. the pod template
    ['no containers', (s) => (s.template.spec.containers = []), ['spec.template.spec.containers: Required value']],
    ['container without name', (s) => delete s.template.spec.containers[0].name, ['spec.template.spec.containers[0].name: Required value']],
    [
      'container name invalid',
      (s) => (s.template.spec.containers[0].name = 'C'),
      [`spec.template.spec.containers[0].name: Invalid value: "C": ${LABEL_MSG}`],
    ],
    [
      'duplicate container',
      (s) => s.template.spec.containers.push({ name: 'c', image: 'x' }),
      ['spec.template.spec.containers[1].name: Duplicate value: "c"'],
    ],
    ['missing image', (s) => delete s.template.spec.containers[0].image, ['spec.template.spec.containers[0].image: Required value']],
    [
      'bad pull policy',
      (s) => (s.template.spec.containers[0].imagePullPolicy = 'Sometimes'),
      [
        'spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      ],
    ],
    [
      'toleration Exists with a value',
      (s) => (s.template.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]),
      ['spec.template.spec.tolerations[0].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\''],
    ],
    [
      'template labels are reported at spec.template.labels',
      (s) => {
        s.selector = { matchLabels: { 'a b': 'x' } };
        s.template.metadata.labels = { 'a b': 'x' };
      },
      [
        "spec.selector.matchLabels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "spec.template.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    // 5. restartPolicy
    [
      'restartPolicy OnFailure',
      (s) => (s.template.spec.restartPolicy = 'OnFailure'),
      ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
    ],
    [
      'restartPolicy unknown',
      (s) => (s.template.spec.restartPolicy = 'Sometimes'),
      [
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always"',
      ],
    ],
    // 6. activeDeadlineSeconds
    [
      'activeDeadlineSeconds',
      (s) => (s.template.spec.activeDeadlineSeconds = 30),
      ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported'],
    ],
    // 7. minReadySeconds
    [
      'minReadySeconds -1',
      (s) => (s.minReadySeconds = -1),
      ['spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0'],
    ],
    ['minReadySeconds 0', (s) => (s.minReadySeconds = 0), []],
    // 8. update strategy
    [
      'unknown strategy type',
      (s) => (s.updateStrategy = { type: 'Foo' }),
      [
        'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Foo", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"',
      ],
    ],
    ['OnDelete', (s) => (s.updateStrategy = { type: 'OnDelete' }), []],
    ['OnDelete ignores rollingUpdate', (s) => (s.updateStrategy = { type: 'OnDelete', rollingUpdate: { maxUnavailable: -5 } }), []],
    [
      'maxUnavailable not a percent',
      (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: 'abc' } }),
      [
        `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"abc"}: ${PERCENT_MSG}`,
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
      ],
    ],
    [
      'maxUnavailable negative',
      (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: -1 } }),
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'maxUnavailable over 100%',
      (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: '150%' } }),
      [
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%',
      ],
    ],
    [
      'maxSurge over 100%',
      (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: '101%' } }),
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"101%"}: must not be greater than 100%',
      ],
    ],
    [
      'both non-zero',
      (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } }),
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero',
      ],
    ],
    [
      'both non-zero percent',
      (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: '10%', maxSurge: '20%' } }),
      [
        'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"20%"}: may not be set when maxUnavailable is non-zero',
      ],
    ],
    [
      'both zero',
      (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }),
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    ],
    [
      'both zero percent',
      (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: '0%', maxSurge: '0%' } }),
      ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0'],
    ],
    ['surge only', (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }), []],
    ['surge only percent', (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: '0%', maxSurge: '10%' } }), []],
    ['defaulted 1/0', (s) => (s.updateStrategy = { type: 'RollingUpdate' }), []],
    ['100% is fine', (s) => (s.updateStrategy = { rollingUpdate: { maxUnavailable: '100%' } }), []],
    // 9. revisionHistoryLimit
    [
      'revisionHistoryLimit -1',
      (s) => (s.revisionHistoryLimit = -1),
      ['spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0'],
    ],
    ['revisionHistoryLimit 0', (s) => (s.revisionHistoryLimit = 0), []],
  ];
  for (const [name, patch, want] of cases) it(name, () => assert.deepEqual(check(patch), want));

  it('requires rollingUpdate when defaulting was skipped', () => {
    assert.deepEqual(
      check((s) => (s.updateStrategy = { type: 'RollingUpdate' }), { skipDefaults: true }).filter((m) =>
        m.startsWith('spec.updateStrategy'),
      ),
      ['spec.updateStrategy.rollingUpdate: Required value'],
    );
  });

  it('reports the rules in upstream order', () => {
    assert.deepEqual(
      check((s) => {
        s.selector = {};
        s.template.spec.restartPolicy = 'Never';
        s.template.spec.activeDeadlineSeconds = 5;
        s.minReadySeconds = -1;
        s.updateStrategy = { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } };
        s.revisionHistoryLimit = -2;
      }),
      [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset',
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
        'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
        'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
        'spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0',
      ],
    );
  });

  it('produces the complete 422 of the c.2 example', () => {
    const d = makeDs((s) => {
      s.template.metadata.labels = { app: 'y' };
      s.template.spec.restartPolicy = 'Never';
    });
    d.metadata = { name: 'bad', namespace: 'default' };
    const err = invalid({ group: 'apps', kind: 'DaemonSet' }, 'bad', validateDaemonSet(d));
    assert.equal(err.code, 422);
    assert.deepEqual(err.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'DaemonSet.apps "bad" is invalid: [spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`, spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"]',
      reason: 'Invalid',
      details: {
        name: 'bad',
        group: 'apps',
        kind: 'DaemonSet',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`',
            field: 'spec.template.metadata.labels',
          },
          {
            reason: 'FieldValueNotSupported',
            message: 'Unsupported value: "Never": supported values: "Always"',
            field: 'spec.template.spec.restartPolicy',
          },
        ],
      },
      code: 422,
    });
  });
});

describe('validateDaemonSetUpdate', () => {
  it('accepts template changes', () => {
    const old = makeDs();
    const next = makeDs((s) => (s.template.spec.containers[0].image = 'nginx:2'));
    assert.deepEqual(messages(validateDaemonSetUpdate(next, old, NO_META)), []);
  });

  it('rejects any selector change as immutable', () => {
    const old = makeDs();
    const next = makeDs((s) => {
      s.selector = { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }] };
    });
    assert.deepEqual(messages(validateDaemonSetUpdate(next, old, NO_META)), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string{"x"}}}}: field is immutable',
    ]);
  });

  it('treats an empty matchExpressions list like an absent one', () => {
    const old = makeDs();
    const next = makeDs((s) => (s.selector = { matchLabels: { app: 'x' }, matchExpressions: [] }));
    assert.deepEqual(messages(validateDaemonSetUpdate(next, old, NO_META)), []);
  });

  it('reports removing the selector', () => {
    const old = makeDs();
    const next = makeDs((s) => delete s.selector);
    const errs = messages(validateDaemonSetUpdate(next, old, NO_META));
    assert.equal(errs.at(-1), 'spec.selector: Invalid value: "null": field is immutable');
  });

  it('validates the spec twice, as the upstream strategy does (the message de-duplicates)', () => {
    const old = makeDs();
    const next = makeDs((s) => (s.minReadySeconds = -1));
    const errs = validateDaemonSetUpdate(next, old, NO_META);
    assert.deepEqual(messages(errs), [
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
    ]);
    assert.equal(
      invalid({ group: 'apps', kind: 'DaemonSet' }, 'x', errs).message,
      'DaemonSet.apps "x" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
    );
  });
});

describe('validateDaemonSetStatus', () => {
  const status = (s: Json): KubeObject => ({ ...makeDs(), status: s });
  it('accepts zero counters', () => {
    assert.deepEqual(
      messages(
        validateDaemonSetStatus(status({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 })),
      ),
      [],
    );
  });
  const counters = [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
    'collisionCount',
  ];
  for (const k of counters) {
    it(`${k} may not be negative`, () => {
      assert.deepEqual(messages(validateDaemonSetStatus(status({ [k]: -1 }))), [
        `status.${k}: Invalid value: -1: must be greater than or equal to 0`,
      ]);
    });
  }
  it('collisionCount may not be decremented or dropped', () => {
    const old = status({ collisionCount: 2 });
    assert.deepEqual(messages(validateDaemonSetStatusUpdate(status({ collisionCount: 3 }), old)), []);
    assert.deepEqual(messages(validateDaemonSetStatusUpdate(status({ collisionCount: 1 }), old)), [
      'status.collisionCount: Invalid value: 1: cannot be decremented',
    ]);
    assert.deepEqual(messages(validateDaemonSetStatusUpdate(status({}), old)), [
      'status.collisionCount: Invalid value: 0: cannot be decremented',
    ]);
    assert.deepEqual(messages(validateDaemonSetStatusUpdate(status({ collisionCount: 0 }), status({}))), []);
  });
});
