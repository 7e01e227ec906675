/**
 * A chart's networking objects with the real kubectl: `kubectl apply` of a NetworkPolicy, a default
 * IngressClass and an Ingress in one manifest (as a Helm chart ships them beside its DaemonSet),
 * then `kubectl get` with upstream's columns (NAME POD-SELECTOR AGE; NAME CONTROLLER PARAMETERS
 * AGE; NAME CLASS HOSTS ADDRESS PORTS AGE), the short names netpol and ing, and `kubectl explain`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubectlOk, kubectlOrSkip, useServer } from '../helpers/kubectl.js';

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
