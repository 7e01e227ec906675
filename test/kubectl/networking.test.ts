/**
 * A chart's networking objects with the real kubectl: `kubectl apply` of a NetworkPolicy, a default
 * IngressClass and an Ingress in one manifest (as a Helm chart ships them beside its DaemonSet),
 * then `kubectl get` with upstream's columns (NAME POD-SELECTOR AGE; NAME CONTROLLER PARAMETERS
 * AGE; NAME CLASS HOSTS ADDRESS PORTS AGE), the short names netpol and ing, and `kubectl explain`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const AGE = '(?:\\d+[smhdy])+';

const MANIFEST = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: agent
spec:
  podSelector:
    matchLabels:
      app: agent
  egress:
    - ports:
        - port: 53
          protocol: UDP
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
  parameters:
    apiGroup: k8s.example.com
    kind: IngressParameters
    name: external-lb
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: agent-ui
spec:
  tls:
    - hosts: [agent.example.com]
      secretName: agent-tls
  rules:
    - host: agent.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: agent-ui
                port:
                  number: 8080
`;

/** The rows of `kubectl get` output, header first, cells split on runs of spaces. */
const rows = (stdout: string): string[][] =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));

describe('kubectl and networking.k8s.io', () => {
  const server = useServer({ nodes: 0 });

  it('apply creates a NetworkPolicy, an IngressClass and an Ingress; get prints their columns', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const applied = await kubectlOk(server, ['apply', '-f', '-'], { input: MANIFEST });
    assert.equal(
      applied.stdout,
      'networkpolicy.networking.k8s.io/agent created\ningressclass.networking.k8s.io/nginx created\ningress.networking.k8s.io/agent-ui created\n',
    );
    const again = await kubectlOk(server, ['apply', '-f', '-'], { input: MANIFEST });
    assert.equal(
      again.stdout,
      'networkpolicy.networking.k8s.io/agent unchanged\ningressclass.networking.k8s.io/nginx unchanged\ningress.networking.k8s.io/agent-ui unchanged\n',
    );

    const netpol = rows((await kubectlOk(server, ['get', 'netpol'])).stdout);
    assert.deepEqual(netpol[0], ['NAME', 'POD-SELECTOR', 'AGE']);
    assert.deepEqual(netpol[1].slice(0, 2), ['agent', 'app=agent']);
    assert.match(netpol[1][2], new RegExp(`^${AGE}$`));

    const classes = rows((await kubectlOk(server, ['get', 'ingressclass'])).stdout);
    assert.deepEqual(classes[0], ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE']);
    assert.deepEqual(classes[1].slice(0, 3), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb']);

    // The Ingress named no class: the DefaultIngressClass admission gave it the default one.
    const ing = (await kubectlOk(server, ['get', 'ing'])).stdout;
    assert.match(ing, /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\n/);
    assert.match(ing, new RegExp(`\nagent-ui\\s+nginx\\s+agent\\.example\\.com\\s+80, 443\\s+${AGE}\n$`));

    const policy = JSON.parse((await kubectlOk(server, ['get', 'networkpolicy', 'agent', '-o', 'json'])).stdout) as {
      spec: { policyTypes: string[] };
    };
    assert.deepEqual(policy.spec.policyTypes, ['Ingress', 'Egress']);

    const described = (await kubectlOk(server, ['describe', 'ingress', 'agent-ui'])).stdout;
    assert.match(described, /^Ingress Class:\s+nginx$/m);
    assert.match(described, /^\s+agent-tls terminates agent\.example\.com$/m);
    assert.match(described, /^\s+\/\s+agent-ui:8080 \(/m);
    assert.match((await kubectlOk(server, ['describe', 'netpol', 'agent'])).stdout, /^\s+PodSelector:\s+app=agent$/m);
  });

  it('create ingress (a typed object kubectl sends as protobuf) with a class, a TLS rule and a default backend', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const created = await kubectlOk(server, [
      'create',
      'ingress',
      'simple',
      '--class=other',
      '--rule=foo.example.com/bar*=svc1:8080,tls=my-cert',
      '--default-backend=defaultsvc:http',
    ]);
    assert.equal(created.stdout, 'ingress.networking.k8s.io/simple created\n');
    const got = JSON.parse((await kubectlOk(server, ['get', 'ingress', 'simple', '-o', 'json'])).stdout) as {
      spec: unknown;
      status: unknown;
    };
    assert.deepEqual(got.spec, {
      ingressClassName: 'other',
      defaultBackend: { service: { name: 'defaultsvc', port: { name: 'http' } } },
      tls: [{ hosts: ['foo.example.com'], secretName: 'my-cert' }],
      rules: [
        {
          host: 'foo.example.com',
          http: { paths: [{ path: '/bar', pathType: 'Prefix', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] },
        },
      ],
    });
    assert.deepEqual(got.status, { loadBalancer: {} });
    const refused = await runKubectl(server, ['create', 'ingress', 'bad', '--rule=foo.example.com/=Svc:80']);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      /^error: failed to create ingress: Ingress\.networking\.k8s\.io "bad" is invalid: spec\.rules\[0\]\.http\.paths\[0\]\.backend\.service\.name: Invalid value: "Svc": a DNS-1035 label/,
    );
  });

  it('explain reads the kinds from the OpenAPI documents', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['explain', 'ingress.spec.rules.http.paths.pathType']);
    assert.match(stdout, /^GROUP:\s+networking\.k8s\.io\nKIND:\s+Ingress\nVERSION:\s+v1\n/);
    assert.match(stdout, /FIELD: pathType <string>/);
    const netpol = await kubectlOk(server, ['explain', 'netpol.spec']);
    assert.match(netpol.stdout, /podSelector\t<LabelSelector> -required-/);
  });
});
