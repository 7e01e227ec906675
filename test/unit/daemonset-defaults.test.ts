import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { defaultDaemonSet } from '../../src/resources/daemonsets/defaults.js';
import {
  TEMPLATE_GENERATION_ANNOTATION,
  parseTemplateGeneration,
  templateGenerationError,
  templateGenerationOf,
  withTemplateGeneration,
  withoutTemplateGeneration,
} from '../../src/resources/daemonsets/template-generation.js';

type Json = Record<string, any>;

function ds(spec: Json): KubeObject & Json {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x', namespace: 'default' }, spec: structuredClone(spec) };
}

const minimal = {
  selector: { matchLabels: { app: 'x' } },
  template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
};

describe('defaultDaemonSet', () => {
  it('defaults a minimal DaemonSet like kubectl get -o yaml shows it', () => {
    const d = ds(minimal);
    defaultDaemonSet(d);
    assert.deepEqual(d.spec, {
      selector: { matchLabels: { app: 'x' } },
      template: {
        metadata: { labels: { app: 'x' } },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'nginx',
              imagePullPolicy: 'Always',
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              resources: {},
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
          schedulerName: 'default-scheduler',
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    });
  });

  const cases: [string, Json, Json, number | undefined][] = [
    [
      'empty type becomes RollingUpdate',
      { type: '' },
      { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      undefined,
    ],
    [
      'partial rollingUpdate is completed',
      { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%' } },
      { type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%', maxUnavailable: 1 } },
      undefined,
    ],
    [
      'explicit zero values are kept',
      { rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      undefined,
    ],
    ['OnDelete is left alone', { type: 'OnDelete' }, { type: 'OnDelete' }, undefined],
    [
      'OnDelete keeps a given rollingUpdate untouched',
      { type: 'OnDelete', rollingUpdate: {} },
      { type: 'OnDelete', rollingUpdate: {} },
      undefined,
    ],
    ['unknown types are not defaulted', { type: 'Foo' }, { type: 'Foo' }, undefined],
    ['revisionHistoryLimit 0 is kept', {}, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, 0],
  ];
  for (const [name, strategy, want, rhl] of cases) {
    it(name, () => {
      const d = ds({ ...minimal, updateStrategy: strategy, ...(rhl === undefined ? {} : { revisionHistoryLimit: rhl }) });
      defaultDaemonSet(d);
      assert.deepEqual(d.spec.updateStrategy, want);
      assert.equal(d.spec.revisionHistoryLimit, rhl ?? 10);
    });
  }

  it('does not add Pod-only defaults to the template', () => {
    const d = ds({
      ...minimal,
      template: { spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80 }] }] } },
    });
    defaultDaemonSet(d);
    assert.equal(d.spec.template.spec.enableServiceLinks, undefined);
    assert.equal(d.spec.template.spec.containers[0].ports[0].hostPort, undefined);
    assert.deepEqual(d.spec.template.metadata, {});
  });

  it('creates spec and template when absent, and is idempotent', () => {
    const d: Json = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'x' } };
    defaultDaemonSet(d as KubeObject);
    const once = structuredClone(d);
    defaultDaemonSet(d as KubeObject);
    assert.deepEqual(d, once);
    assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  });
});

describe('template generation annotation', () => {
  const parseCases: [string, number | string][] = [
    ['1', 1],
    ['+7', 7],
    ['-3', -3],
    // eslint-disable-next-line no-loss-of-precision -- the double nearest to int64's maximum is what JSON gives too
    ['9223372036854775807', 9223372036854775807],
    ['9223372036854775808', 'strconv.ParseInt: parsing "9223372036854775808": value out of range'],
    ['abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['', 'strconv.ParseInt: parsing "": invalid syntax'],
    ['1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
  ];
  for (const [raw, want] of parseCases) {
    it(`parses ${JSON.stringify(raw)}`, () => {
      assert.deepEqual(parseTemplateGeneration(raw), typeof want === 'number' ? { value: want } : { error: want });
    });
  }

  it('reads, sets and strips the annotation', () => {
    const d = ds(minimal);
    assert.equal(templateGenerationOf(d), undefined);
    assert.equal(templateGenerationError(d), undefined);
    withTemplateGeneration(d, 3);
    assert.equal(d.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION], '3');
    assert.equal(templateGenerationOf(d), 3);
    d.metadata.annotations = { ...d.metadata.annotations, keep: 'me' };
    withoutTemplateGeneration(d);
    assert.deepEqual(d.metadata.annotations, { keep: 'me' });
    d.metadata.annotations = { [TEMPLATE_GENERATION_ANNOTATION]: '1' };
    withoutTemplateGeneration(d);
    assert.equal(d.metadata.annotations, undefined);
  });

  it('reports a bad client value', () => {
    const d = ds(minimal);
    d.metadata.annotations = { [TEMPLATE_GENERATION_ANNOTATION]: 'x' };
    assert.equal(templateGenerationOf(d), undefined);
    assert.equal(templateGenerationError(d), 'strconv.ParseInt: parsing "x": invalid syntax');
  });
});
