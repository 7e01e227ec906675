/**
 * core/v1 ServiceAccount over HTTP: the kind itself (secrets keep only names, NAME SECRETS AGE), the
 * service accounts controller (`default` in every namespace, recreated) and the root CA publisher
 * (kube-root-ca.crt), the ServiceAccount admission of pods (default account, kube-api-access-*
 * volume and mounts, a missing account refused, automount off) and TokenRequest (a signed JWT with
 * upstream's claims).
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import { buildTestApp } from '../helpers/build-app.js';
import { manualCluster } from '../helpers/manual-cluster.js';

type Obj = Record<string, any>;

const SAS = '/api/v1/namespaces/default/serviceaccounts';
const PODS = '/api/v1/namespaces/default/pods';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

const pod = (name: string, spec: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...metadata },
  spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
});

const tokenRequest = (spec: Obj = {}): Obj => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });

describe('serviceaccounts', () => {
  it('are served in core/v1 with short name sa and a token subresource answering authentication.k8s.io/v1 TokenRequest', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.get('/api/v1').expect(200);
    const resources = res.body.resources as Obj[];
    const sa = resources.find((r) => r.name === 'serviceaccounts')!;
    assert.deepEqual(sa.shortNames, ['sa']);
    assert.equal(sa.kind, 'ServiceAccount');
    assert.deepEqual(
      resources.find((r) => r.name === 'serviceaccounts/token'),
      {
        name: 'serviceaccounts/token',
        singularName: '',
        namespaced: true,
        group: 'authentication.k8s.io',
        version: 'v1',
        kind: 'TokenRequest',
        verbs: ['create'],
      },
    );
  });

  it('keep only the names of secret references; fields in Go order; NAME SECRETS AGE', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(SAS).send({
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'registry' }],
      secrets: [{ name: 'one', kind: 'Secret', uid: 'x', namespace: 'default' }, { name: 'two' }],
      metadata: { name: 'builder' },
      kind: 'ServiceAccount',
      apiVersion: 'v1',
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body), [
      'kind',
      'apiVersion',
      'metadata',
      'secrets',
      'imagePullSecrets',
      'automountServiceAccountToken',
    ]);
    assert.deepEqual(created.body.secrets, [{ name: 'one' }, { name: 'two' }]);

    const table = await http.get(SAS).set('accept', TABLE).expect(200);
    assert.deepEqual(
      table.body.columnDefinitions.map((c: Obj) => c.name),
      ['Name', 'Secrets', 'Age'],
    );
    assert.deepEqual(table.body.rows[0].cells.slice(0, 2), ['builder', 2]);

    const bad = await http.post(SAS).send({ metadata: { name: 'Not_A_Name' } });
    assert.equal(bad.status, 422);
    assert.match(bad.body.message, /^ServiceAccount "Not_A_Name" is invalid: metadata.name: Invalid value: "Not_A_Name"/);
  });
});

describe('service accounts controller and root CA publisher', () => {
  it('give every namespace a default ServiceAccount and kube-root-ca.crt, and put them back when deleted or changed', async (t) => {
    const cluster = await manualCluster(t, 0);
    const { http } = cluster.app;
    await http
      .post('/api/v1/namespaces')
      .send({ metadata: { name: 'team' } })
      .expect(201);
    await cluster.settle();
    for (const ns of ['default', 'kube-system', 'team']) {
      const sa = await cluster.get(`/api/v1/namespaces/${ns}/serviceaccounts/default`);
      assert.deepEqual(Object.keys(sa.metadata).sort(), ['creationTimestamp', 'name', 'namespace', 'resourceVersion', 'uid']);
      const cm = await cluster.get(`/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`);
      assert.match(
        cm.metadata.annotations['kubernetes.io/description'],
        /^Contains a CA bundle that can be used to verify the kube-apiserver/,
      );
      assert.deepEqual(Object.keys(cm.data), ['ca.crt']);
      assert.ok(new X509Certificate(cm.data['ca.crt']).ca, 'ca.crt is a CA certificate');
    }

    // Nothing is written while both exist.
    const before = await cluster.get('/api/v1/namespaces/team/serviceaccounts/default');
    await http
      .patch('/api/v1/namespaces/team')
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { labels: { a: 'b' } } })
      .expect(200);
    await cluster.settle();
    assert.equal(
      (await cluster.get('/api/v1/namespaces/team/serviceaccounts/default')).metadata.resourceVersion,
      before.metadata.resourceVersion,
    );

    await http.delete('/api/v1/namespaces/team/serviceaccounts/default').expect(200);
    await cluster.settle();
    const again = await cluster.get('/api/v1/namespaces/team/serviceaccounts/default');
    assert.notEqual(again.metadata.uid, before.metadata.uid);

    const caBefore = await cluster.get('/api/v1/namespaces/team/configmaps/kube-root-ca.crt');
    await cluster.patch('/api/v1/namespaces/team/configmaps/kube-root-ca.crt', { data: { 'ca.crt': 'tampered', extra: 'x' } });
    const restored = await cluster.get('/api/v1/namespaces/team/configmaps/kube-root-ca.crt');
    assert.deepEqual(restored.data, caBefore.data);
    await http.delete('/api/v1/namespaces/team/configmaps/kube-root-ca.crt').expect(200);
    await cluster.settle();
    assert.deepEqual((await cluster.get('/api/v1/namespaces/team/configmaps/kube-root-ca.crt')).data, caBefore.data);
  });

  it('a pod created right after its namespace runs as default with the token volume', async (t) => {
    const cluster = await manualCluster(t, 0);
    const { http } = cluster.app;
    await http
      .post('/api/v1/namespaces')
      .send({ metadata: { name: 'fresh' } })
      .expect(201);
    const created = await http.post('/api/v1/namespaces/fresh/pods').send(pod('p'));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.spec.serviceAccountName, 'default');
    assert.match(created.body.spec.volumes[0].name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe('ServiceAccount admission of pods', () => {
  it('defaults the account and adds the kube-api-access projected volume and its mount to every container, as upstream', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(PODS).send(
      pod('web', {
        initContainers: [{ name: 'init', image: 'busybox' }],
        containers: [
          { name: 'app', image: 'nginx', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
          { name: 'side', image: 'busybox' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      }),
    );
    assert.equal(created.status, 201, created.text);
    const spec = created.body.spec;
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default');
    const volume = spec.volumes[1];
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(
      JSON.stringify(volume),
      JSON.stringify({
        name: volume.name,
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
          defaultMode: 420,
        },
      }),
    );
    const mount = { name: volume.name, readOnly: true, mountPath: MOUNT_PATH };
    assert.deepEqual(spec.initContainers[0].volumeMounts, [mount]);
    assert.deepEqual(spec.containers[0].volumeMounts, [{ name: 'data', mountPath: '/data' }, mount]);
    assert.deepEqual(spec.containers[1].volumeMounts, [mount]);
    assert.equal(JSON.stringify(Object.keys(spec.containers[1].volumeMounts[0])), '["name","readOnly","mountPath"]');
  });

  it('leaves a container that mounts the path itself and reuses an existing kube-api-access volume', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(PODS).send(
      pod('own', {
        containers: [
          { name: 'a', image: 'nginx', volumeMounts: [{ name: 'mine', mountPath: MOUNT_PATH }] },
          { name: 'b', image: 'nginx' },
        ],
        volumes: [
          { name: 'mine', emptyDir: {} },
          { name: 'kube-api-access-given', emptyDir: {} },
        ],
      }),
    );
    assert.equal(created.status, 201, created.text);
    const spec = created.body.spec;
    assert.deepEqual(
      spec.volumes.map((v: Obj) => v.name),
      ['mine', 'kube-api-access-given'],
    );
    assert.deepEqual(spec.containers[0].volumeMounts, [{ name: 'mine', mountPath: MOUNT_PATH }]);
    assert.deepEqual(spec.containers[1].volumeMounts, [{ name: 'kube-api-access-given', readOnly: true, mountPath: MOUNT_PATH }]);
  });

  it('refuses a pod naming a missing account with 403, as upstream words it, and writes nothing', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http.post(PODS).send(pod('lost', { serviceAccountName: 'ghost' }));
    assert.equal(res.status, 403, res.text);
    assert.deepEqual(res.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "lost" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found',
      reason: 'Forbidden',
      details: { name: 'lost', kind: 'pods' },
      code: 403,
    });
    await http.get(`${PODS}/lost`).expect(404);
    const generated = await http
      .post(PODS)
      .send({ ...pod(''), metadata: { generateName: 'gen-' }, spec: { ...pod('').spec, serviceAccountName: 'ghost' } });
    assert.equal(generated.status, 403);
    assert.match(generated.body.message, /^pods "gen-" is forbidden: /);

    await http
      .post(SAS)
      .send({ metadata: { name: 'ghost' } })
      .expect(201);
    const ok = await http.post(PODS).send(pod('found', { serviceAccountName: 'ghost' }));
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.spec.serviceAccount, 'ghost');
  });

  it("mounts nothing when the pod or its account turns automount off (the pod wins); copies the account's pull secrets", async (t) => {
    const { http } = await buildTestApp(t);
    await http
      .post(SAS)
      .send({ metadata: { name: 'quiet' }, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'reg' }] })
      .expect(201);
    const byAccount = await http
      .post(PODS)
      .send(pod('a', { serviceAccountName: 'quiet' }))
      .expect(201);
    assert.equal(byAccount.body.spec.volumes, undefined);
    assert.equal(byAccount.body.spec.containers[0].volumeMounts, undefined);
    assert.deepEqual(byAccount.body.spec.imagePullSecrets, [{ name: 'reg' }]);

    const byPod = await http
      .post(PODS)
      .send(pod('b', { automountServiceAccountToken: false }))
      .expect(201);
    assert.equal(byPod.body.spec.volumes, undefined);
    const podWins = await http
      .post(PODS)
      .send(pod('c', { serviceAccountName: 'quiet', automountServiceAccountToken: true, imagePullSecrets: [{ name: 'own' }] }))
      .expect(201);
    assert.equal(podWins.body.spec.volumes.length, 1);
    assert.deepEqual(podWins.body.spec.imagePullSecrets, [{ name: 'own' }]);
  });

  it('takes the account from the deprecated serviceAccount field when serviceAccountName is empty, and checks it', async (t) => {
    const { http } = await buildTestApp(t);
    const missing = await http.post(PODS).send(pod('old-style', { serviceAccount: 'legacy' }));
    assert.equal(missing.status, 403);
    assert.match(missing.body.message, /serviceaccount "legacy" not found$/);
    await http
      .post(SAS)
      .send({ metadata: { name: 'legacy' } })
      .expect(201);
    const created = await http
      .post(PODS)
      .send(pod('old-style', { serviceAccount: 'legacy' }))
      .expect(201);
    assert.equal(created.body.spec.serviceAccountName, 'legacy');
    assert.equal(created.body.spec.serviceAccount, 'legacy');
  });

  it('does not change mirror pods and refuses one that names an account', async (t) => {
    const { http } = await buildTestApp(t);
    // A mirror pod is a kubelet's: it names its node (ValidatePodSpecificAnnotations requires it).
    const mirror = { annotations: { 'kubernetes.io/config.mirror': 'hash' } };
    const created = await http.post(PODS).send(pod('static', { nodeName: 'node-1' }, mirror));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.spec.serviceAccountName, undefined);
    assert.equal(created.body.spec.volumes, undefined);
    const refused = await http.post(PODS).send(pod('static2', { nodeName: 'node-1', serviceAccountName: 'default' }, mirror));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, 'pods "static2" is forbidden: a mirror pod may not reference service accounts');
  });
});

describe('TokenRequest', () => {
  it("answers 201 with a token signed RS256 whose claims are upstream's", async (t) => {
    const { http, kubemock } = await buildTestApp(t);
    const sa = (
      await http
        .post(SAS)
        .send({ metadata: { name: 'robot' } })
        .expect(201)
    ).body;
    const before = Math.floor(kubemock.clock.now() / 1000);
    const res = await http.post(`${SAS}/robot/token`).send(tokenRequest());
    assert.equal(res.status, 201, res.text);
    const after = Math.floor(kubemock.clock.now() / 1000);
    assert.deepEqual(Object.keys(res.body), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    assert.equal(res.body.kind, 'TokenRequest');
    assert.equal(res.body.apiVersion, 'authentication.k8s.io/v1');
    assert.equal(res.body.metadata.name, 'robot');
    assert.equal(res.body.metadata.namespace, 'default');
    assert.deepEqual(res.body.spec, { audiences: [ISSUER], expirationSeconds: 3600, boundObjectRef: null });
    const token: string = res.body.status.token;

    const header = decodeProtectedHeader(token);
    assert.equal(header.alg, 'RS256');
    assert.match(String(header.kid), /^[A-Za-z0-9_-]{43}$/);
    const claims = decodeJwt(token);
    assert.deepEqual(Object.keys(claims), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.deepEqual(claims.aud, [ISSUER]);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.sub, 'system:serviceaccount:default:robot');
    assert.ok(claims.iat! >= before && claims.iat! <= after, 'issued during the request');
    assert.equal(claims.nbf, claims.iat);
    assert.equal(claims.exp, claims.iat! + 3600);
    assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.metadata.uid } });
    assert.equal(Date.parse(res.body.status.expirationTimestamp) / 1000, claims.exp);

    // The signature checks out against the server's key (as an authenticator given its public key would).
    const verified = await compactVerify(token, await kubemock.tokens.publicKey());
    assert.equal(verified.protectedHeader.kid, header.kid);
  });

  it('takes audiences and a duration; binds to a pod (with its node) or a secret; refuses short or mismatched requests as upstream', async (t) => {
    const cluster = await manualCluster(t, 1);
    const { http } = cluster.app;
    const res = await http
      .post(`${SAS}/default/token`)
      .send(tokenRequest({ audiences: ['vault'], expirationSeconds: 7200 }))
      .expect(201);
    const claims = decodeJwt(res.body.status.token);
    assert.deepEqual(claims.aud, ['vault']);
    assert.equal(claims.exp! - claims.iat!, 7200);
    const otherKind = await http.post(`${SAS}/default/token`).send({ apiVersion: 'authentication.k8s.io/v1', kind: 'Pod' });
    assert.equal(otherKind.status, 400, 'a body of another kind issues no token');
    assert.equal(otherKind.body.status.token, undefined);
    const wrongVersion = await http.post(`${SAS}/default/token`).send({ apiVersion: 'v1', kind: 'TokenRequest' });
    assert.equal(wrongVersion.status, 400);

    const running = await cluster.runPod(pod('bound'));
    const node = await cluster.get(`/api/v1/nodes/${running.spec.nodeName}`);
    const bound = await http
      .post(`${SAS}/default/token`)
      .send(
        tokenRequest({
          expirationSeconds: 3607,
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bound', uid: running.metadata.uid },
        }),
      )
      .expect(201);
    const boundClaims = decodeJwt(bound.body.status.token) as Obj;
    assert.deepEqual(boundClaims['kubernetes.io'], {
      namespace: 'default',
      node: { name: node.metadata.name, uid: node.metadata.uid },
      pod: { name: 'bound', uid: running.metadata.uid },
      serviceaccount: { name: 'default', uid: (await cluster.get(`${SAS}/default`)).metadata.uid },
      warnafter: boundClaims.iat + 3607,
    });
    assert.equal(boundClaims.exp - boundClaims.iat, 365 * 24 * 3600, 'a projected-volume token is extended to a year');
    assert.equal(Date.parse(bound.body.status.expirationTimestamp) / 1000, boundClaims.iat + 3607);

    const secret = (
      await http
        .post('/api/v1/namespaces/default/secrets')
        .send({ metadata: { name: 's' } })
        .expect(201)
    ).body;
    const toSecret = await http
      .post(`${SAS}/default/token`)
      .send(tokenRequest({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's' } }))
      .expect(201);
    assert.deepEqual((decodeJwt(toSecret.body.status.token) as Obj)['kubernetes.io'].secret, { name: 's', uid: secret.metadata.uid });

    const short = await http.post(`${SAS}/default/token`).send(tokenRequest({ expirationSeconds: 599 }));
    assert.equal(short.status, 422);
    assert.equal(
      short.body.message,
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
    );
    const other = await http.post(`${SAS}/default/token`).send({ ...tokenRequest(), metadata: { name: 'x' } });
    assert.equal(other.status, 422);
    assert.equal(
      other.body.message,
      'TokenRequest.authentication.k8s.io "default" is invalid: metadata.name: Invalid value: "x": must match the service account name if specified',
    );
    const missing = await http.post(`${SAS}/nobody/token`).send(tokenRequest());
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'serviceaccounts "nobody" not found');
    const wrongKind = await http
      .post(`${SAS}/default/token`)
      .send(tokenRequest({ boundObjectRef: { kind: 'Deployment', apiVersion: 'apps/v1', name: 'd' } }));
    assert.equal(wrongKind.status, 400);
    assert.equal(wrongKind.body.message, 'cannot bind token to object of type apps/v1, Kind=Deployment');
    const staleUid = await http
      .post(`${SAS}/default/token`)
      .send(tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bound', uid: 'old' } }));
    assert.equal(staleUid.status, 409);
  });

  it('reads expirationSeconds from its text, as Go decodes an int64: 3600.0 is a 400', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http
      .post(`${SAS}/default/token`)
      .set('content-type', 'application/json')
      .send(JSON.stringify(tokenRequest({ expirationSeconds: 3600 })).replace('3600', '3600.0'));
    assert.equal(res.status, 400);
    assert.equal(
      res.body.message,
      'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal number 3600.0 into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64',
    );
  });
});
