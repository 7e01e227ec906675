/**
 * clusterTrustBundle projected sources. A 1.33 server drops them before validation unless the
 * stored pod (template) already had one, so these rules only meet updates of such objects; they are
 * checked here through validatePodSpec, with the drop itself beside them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString, path } from '../../src/apimachinery/field-errors.js';
import { defaultPodSpec } from '../../src/resources/pods/defaults.js';
import { validatePodSpec } from '../../src/resources/pods/validation.js';
import { dropDisabledPodSpecFields } from '../../src/resources/pods/disabled-fields.js';

type Json = Record<string, any>;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const AT = 'spec.volumes[0].projected';
const SRC = `${AT}.sources[0].clusterTrustBundle`;

/** The errors of a defaulted spec with one projected volume of these sources. */
function check(...sources: Json[]): string[] {
  const spec: Json = { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'v', projected: { sources } }] };
  defaultPodSpec(spec);
  return validatePodSpec(spec, path('spec')).map(errorString);
}

describe('clusterTrustBundle projection validation', () => {
  it('accepts a bundle by name and one by signer name with a selector', () => {
    assert.deepEqual(
      check(
        { clusterTrustBundle: { name: 'example.com:signer:bundle', path: 'a.pem' } },
        { clusterTrustBundle: { signerName: 'example.com/signer', labelSelector: { matchLabels: { a: 'b' } }, path: 'b.pem' } },
      ),
      [],
    );
  });

  it('name and signerName together: the whole projection is the bad value', () => {
    assert.deepEqual(check({ clusterTrustBundle: { name: 'a', signerName: 'example.com/s', path: 'ca.pem' } }), [
      `${SRC}: Invalid value: core.ClusterTrustBundleProjection{Name:(*string)(0xc000b2e0a0), SignerName:(*string)(0xc000b2e0b0), LabelSelector:(*v1.LabelSelector)(nil), Optional:(*bool)(nil), Path:"ca.pem"}: only one of name and signerName may be used`,
    ]);
  });

  it('neither, and no path: both are required', () => {
    assert.deepEqual(check({ clusterTrustBundle: {} }), [
      `${SRC}: Required value: either name or signerName must be specified`,
      `${SRC}.path: Required value`,
    ]);
  });

  it('bundle names: empty, a signer prefix that cannot match, a bare colon, a bad remainder', () => {
    const named = (name: string) => check({ clusterTrustBundle: { name, path: 'p' } });
    assert.deepEqual(named(''), [
      `${SRC}.name: Required value: must be a valid object name`,
      `${SRC}.name: Invalid value: "": not a valid clustertrustbundlename: ${SUBDOMAIN_MSG}`,
    ]);
    assert.deepEqual(named('a/b:c'), [
      `${SRC}.name: Invalid value: "a/b:c": not a valid clustertrustbundlename: ClusterTrustBundle for signerName a/b must be named with prefix a:b:`,
    ]);
    assert.deepEqual(named(':c'), [
      `${SRC}.name: Invalid value: ":c": not a valid clustertrustbundlename: ClusterTrustBundle without signer name must not have ":" in its name`,
    ]);
    assert.deepEqual(named('example.com:s:Bad'), [
      `${SRC}.name: Invalid value: "example.com:s:Bad": not a valid clustertrustbundlename: ${SUBDOMAIN_MSG}`,
    ]);
  });

  it('a selector with a name is refused, printed as Go prints a LabelSelector', () => {
    const labelSelector = { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'k', operator: 'Exists' }] };
    assert.deepEqual(check({ clusterTrustBundle: { name: 'n', labelSelector, path: 'p' } }), [
      `${SRC}.labelSelector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"Exists", Values:[]string(nil)}}}: labelSelector must be unset if name is specified`,
    ]);
  });

  it('signer names: empty twice over, no slash, one-segment domain and a bad path label; the selector is validated', () => {
    const signed = (signerName: string, labelSelector?: Json) => check({ clusterTrustBundle: { signerName, labelSelector, path: 'p' } });
    assert.deepEqual(signed(''), [`${SRC}.signerName: Required value: must be a valid signer name`, `${SRC}.signerName: Required value`]);
    assert.deepEqual(signed('example.com'), [
      `${SRC}.signerName: Invalid value: "example.com": must be a fully qualified domain and path of the form 'example.com/signer-name'`,
    ]);
    assert.deepEqual(signed('Example/x_y'), [
      `${SRC}.signerName: Invalid value: "Example": validating label "Example": ${LABEL_MSG}`,
      `${SRC}.signerName: Invalid value: "Example": should be a domain with at least two segments separated by dots`,
      `${SRC}.signerName: Invalid value: "x_y": validating label "x_y": ${SUBDOMAIN_MSG}`,
    ]);
    assert.deepEqual(signed('example.com/s', { matchExpressions: [{ key: 'k', operator: 'In' }] }), [
      `${SRC}.labelSelector.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
    ]);
  });

  it('paths: a bundle claims its path even when empty, against items of other sources', () => {
    assert.deepEqual(
      check(
        { configMap: { name: 'cm', items: [{ key: 'k', path: 'ca.pem' }] } },
        { clusterTrustBundle: { name: 'a', path: 'ca.pem' } },
        { clusterTrustBundle: { name: 'b', path: '' } },
        { clusterTrustBundle: { name: 'c', path: '' } },
        { clusterTrustBundle: { name: 'd', path: '../x' } },
      ),
      [
        `${AT}: Invalid value: "ca.pem": conflicting duplicate paths`,
        `${AT}.sources[2].clusterTrustBundle.path: Required value`,
        `${AT}.sources[3].clusterTrustBundle.path: Required value`,
        `${AT}: Invalid value: "": conflicting duplicate paths`,
        `${AT}.sources[4].clusterTrustBundle.path: Invalid value: "../x": must not contain '..'`,
      ],
    );
  });

  it('a bundle counts as a volume type of its source', () => {
    assert.deepEqual(check({ secret: { name: 's' }, clusterTrustBundle: { name: 'a', path: 'p' } }), [
      `${AT}.sources[0]: Forbidden: may not specify more than 1 volume type per source`,
    ]);
  });
});

describe('dropping clusterTrustBundle sources (gate off)', () => {
  const withBundle = (): Json => ({
    volumes: [{ name: 'v', projected: { sources: [{ clusterTrustBundle: { name: 'a', path: 'p' } }, { secret: { name: 's' } }] } }],
  });

  it('a new spec loses every bundle, leaving the source empty', () => {
    const spec = withBundle();
    dropDisabledPodSpecFields(spec);
    assert.deepEqual(spec.volumes[0].projected.sources, [{}, { secret: { name: 's' } }]);
  });

  it('a spec whose stored version had a bundle keeps them', () => {
    const spec = withBundle();
    dropDisabledPodSpecFields(spec, withBundle());
    assert.deepEqual(spec.volumes[0].projected.sources[0], { clusterTrustBundle: { name: 'a', path: 'p' } });
  });

  it('a stored version without one does not count', () => {
    const spec = withBundle();
    dropDisabledPodSpecFields(spec, { volumes: [{ name: 'v', projected: { sources: [{ secret: { name: 's' } }] } }] });
    assert.deepEqual(spec.volumes[0].projected.sources[0], {});
  });
});
