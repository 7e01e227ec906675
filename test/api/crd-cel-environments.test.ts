/**
 * The two CEL environments of a 1.33 server: a rule a CRD write adds compiles as a 1.32 server
 * would (NewExpressions: no semver library), a rule or messageExpression the old CRD already held
 * compiles with everything 1.33 has (StoredExpressions), as do all rules when objects are
 * validated. And the compile-time literal checks both environments run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';
import { causesOf } from '../helpers/causes.js';
import { CRDS, waitEstablished } from '../helpers/crd-established.js';
import { goRule, type RuleText as Rule } from '../helpers/go-rule.js';
import type { KubeObject } from '../../src/apimachinery/object.js';

const NAME = 'releases.cel.example.com';
const RELEASES = '/apis/cel.example.com/v1/namespaces/default/releases';
const SPEC_AT = (version: number) => `spec.versions[${version}].schema.openAPIV3Schema.properties[spec]`;

function version(name: string, rules: Rule[], storage: boolean): Record<string, unknown> {
  return {
    name,
    served: true,
    storage,
    schema: {
      openAPIV3Schema: {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            'x-kubernetes-validations': rules,
            properties: { version: { type: 'string', maxLength: 64 } },
          },
        },
      },
    },
  };
}

function releaseCrd(rules: Rule[], v2Rules?: Rule[]): KubeObject {
  const versions = [version('v1', rules, true)];
  if (v2Rules) versions.push(version('v2', v2Rules, false));
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: NAME },
    spec: { group: 'cel.example.com', scope: 'Namespaced', names: { plural: 'releases', kind: 'Release' }, versions },
  };
}

/** cel-go's one-issue report: the message, the source line and a caret under the column. */
const issue = (source: string, column: number, message: string) =>
  `ERROR: <input>:1:${column}: ${message}\n | ${source}\n | ${'.'.repeat(column - 1)}^`;

const IS_SEMVER: Rule = { rule: 'isSemver(self.version)', message: 'must be a semantic version' };
const MAJOR_ONE: Rule = {
  rule: "self.version != ''",
  messageExpression: "semver(self.version).major() > 1 ? 'major versions above 1 are not supported' : 'no betas'",
};
const NOT_BETA: Rule = {
  rule: "!self.version.contains('beta')",
  messageExpression: "semver(self.version).major() > 1 ? 'major versions above 1 are not supported' : 'no betas'",
};

/**
 * A CRD whose v1 schema holds semver rules, as a 1.34 server (or a 1.33 one after them) would have
 * stored it: created without them, then written past validation.
 */
async function storedWithSemverRules(app: TestApp): Promise<void> {
  await app.http
    .post(CRDS)
    .send(releaseCrd([{ rule: "self.version != ''" }]))
    .expect(201);
  await waitEstablished(app, NAME);
  const store = app.kubemock.registry.store<KubeObject>('customresourcedefinitions', 'apiextensions.k8s.io');
  const stored = store.get(undefined, NAME);
  const old = structuredClone(stored);
  stored.spec = releaseCrd([IS_SEMVER, NOT_BETA]).spec;
  assert.ok(store.commit('MODIFIED', stored, Number(old.metadata.resourceVersion), old));
}

const release = (name: string, v: string) => ({
  apiVersion: 'cel.example.com/v1',
  kind: 'Release',
  metadata: { name },
  spec: { version: v },
});

describe('CEL environments of CRD validation rules', () => {
  it('a new rule or messageExpression calling the 1.33 semver library is refused as a 1.32 server refuses it', async (t) => {
    const { http } = await buildTestApp(t);
    const major: Rule = { rule: 'semver(self.version).major() >= 1' };
    const res = await http
      .post(CRDS)
      .send(releaseCrd([IS_SEMVER, major, MAJOR_ONE]))
      .expect(422);
    const at = (i: number, what: string, r: Rule) => `${SPEC_AT(0)}.x-kubernetes-validations[${i}].${what}: Invalid value: ${goRule(r)}`;
    assert.deepEqual(causesOf(res.body), [
      `${at(0, 'rule', IS_SEMVER)}: compilation failed: ${issue(IS_SEMVER.rule, 9, "undeclared reference to 'isSemver' (in container '')")}`,
      `${at(1, 'rule', major)}: compilation failed: ${issue(major.rule, 7, "undeclared reference to 'semver' (in container '')")}\n` +
        issue(major.rule, 27, "undeclared reference to 'major' (in container '')"),
      `${at(2, 'messageExpression', MAJOR_ONE)}: messageExpression compilation failed: ` +
        issue(MAJOR_ONE.messageExpression!, 7, "undeclared reference to 'semver' (in container '')") +
        '\n' +
        issue(MAJOR_ONE.messageExpression!, 27, "undeclared reference to 'major' (in container '')"),
    ]);
    await http.get(`${CRDS}/${NAME}`).expect(404);
  });

  it('an update keeps semver expressions the old CRD held, wherever they now sit, and refuses new ones', async (t) => {
    const app = await buildTestApp(t);
    await storedWithSemverRules(app);
    const update = async (spec: unknown, code: number) => {
      const crd = (await app.http.get(`${CRDS}/${NAME}`).expect(200)).body as KubeObject;
      return app.http
        .put(`${CRDS}/${NAME}`)
        .send({ ...crd, spec })
        .expect(code);
    };
    // Unchanged rules, and the same texts copied into a second version: all found in the old CRD.
    await update(releaseCrd([IS_SEMVER, NOT_BETA], [NOT_BETA, IS_SEMVER]).spec, 200);
    // A rule whose text differs (normalize: true) is new: refused, while the others stay accepted.
    const normalized: Rule = { rule: 'isSemver(self.version, true)' };
    const res = await update(releaseCrd([IS_SEMVER, NOT_BETA, normalized], [NOT_BETA, IS_SEMVER]).spec, 422);
    assert.deepEqual(causesOf(res.body), [
      `${SPEC_AT(0)}.x-kubernetes-validations[2].rule: Invalid value: ${goRule(normalized)}: compilation failed: ` +
        issue(normalized.rule, 9, "undeclared reference to 'isSemver' (in container '')"),
    ]);
    // The messageExpression's text is what counts: the same one under another rule is still known.
    const moved: Rule = { rule: "self.version != 'x'", messageExpression: NOT_BETA.messageExpression };
    await update(releaseCrd([IS_SEMVER, NOT_BETA, moved], [NOT_BETA, IS_SEMVER]).spec, 200);
  });

  it('objects are validated with the stored semver rules and messageExpressions', async (t) => {
    const app = await buildTestApp(t);
    await storedWithSemverRules(app);
    const invalid = await waitFor(async () => {
      const res = await app.http.post(RELEASES).send(release('bad', 'v1')).expect(422);
      return causesOf(res.body);
    });
    assert.deepEqual(invalid, ['spec: Invalid value: "object": must be a semantic version']);
    const beta = await app.http.post(RELEASES).send(release('beta', '2.0.0-beta.1')).expect(422);
    assert.deepEqual(causesOf(beta.body), ['spec: Invalid value: "object": major versions above 1 are not supported']);
    await app.http.post(RELEASES).send(release('good', '1.2.3')).expect(201);
  });
});

describe('compile-time checks of literals in CRD validation rules', () => {
  it('invalid duration, timestamp and regex literals and mixed list and map literals are refused with cel-go’s errors', async (t) => {
    const { http } = await buildTestApp(t);
    const rules: Rule[] = [
      { rule: "duration('xyz') > duration('1s')" },
      { rule: "timestamp('2024-02-30T00:00:00Z') < timestamp('2024-03-01T00:00:00Z')" },
      { rule: "self.version.matches('[')" },
      { rule: "self.version in [1, 'a']" },
      { rule: "{'a': 1, 2: 'b'}.size() == 2" },
      { rule: "duration('1h30m') > duration('90m') || self.version.matches('^v[0-9]+$') || '%s-%d'.format(['a', 1]) != ''" },
    ];
    const res = await http.post(CRDS).send(releaseCrd(rules)).expect(422);
    const at = (i: number) => `${SPEC_AT(0)}.x-kubernetes-validations[${i}].rule: Invalid value: ${goRule(rules[i])}: compilation failed: `;
    assert.deepEqual(causesOf(res.body), [
      at(0) + issue(rules[0].rule, 10, 'invalid duration argument'),
      at(1) + issue(rules[1].rule, 11, 'invalid timestamp argument'),
      at(2) + issue(rules[2].rule, 22, 'invalid matches argument'),
      at(3) + issue(rules[3].rule, 21, "expected type 'int' but found 'string'"),
      at(4) +
        issue(rules[4].rule, 10, "expected type 'string' but found 'int'") +
        '\n' +
        issue(rules[4].rule, 13, "expected type 'int' but found 'string'"),
    ]);
  });
});
