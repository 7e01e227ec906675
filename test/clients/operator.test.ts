import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startKubemock, type KubemockServer } from '../../src/index.js';

interface NodeAgent extends k8s.KubernetesObject {
  spec: { image: string };
}

const GROUP = 'agents.example.com';
const NS = 'default';

/** The operator under test: each NodeAgent runs its image on every node, as a DaemonSet it owns. */
function startOperator(kc: k8s.KubeConfig): k8s.Informer<NodeAgent> {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const reconcile = async (agent: NodeAgent) => {
    const { name, uid } = agent.metadata!;
    const labels = { 'agents.example.com/name': name! };
    const body: k8s.V1DaemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name,
        namespace: NS,
        ownerReferences: [{ apiVersion: `${GROUP}/v1`, kind: 'NodeAgent', name: name!, uid: uid!, controller: true }],
      },
      spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'agent', image: agent.spec.image }] } },
      },
    };
    const apply = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);
    await apps.patchNamespacedDaemonSet({ name: name!, namespace: NS, body, fieldManager: 'nodeagent-operator', force: true }, apply);
  };
  const list = () => custom.listNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'nodeagents' });
  const informer = k8s.makeInformer<NodeAgent>(kc, `/apis/${GROUP}/v1/namespaces/${NS}/nodeagents`, list);
  informer.on('add', (agent) => void reconcile(agent));
  informer.on('update', (agent) => void reconcile(agent));
  return informer;
}

let cluster: KubemockServer;
let kc: k8s.KubeConfig;
let operator: k8s.Informer<NodeAgent>;

before(async () => {
  // The CRDs as the operator project keeps them; startKubemock resolves once they are Established.
  cluster = await startKubemock({ crds: ['test/fixtures/operator/config/crd/bases'], nodes: 3 });
  kc = new k8s.KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  operator = startOperator(kc);
  await operator.start();
});
after(async () => {
  await operator.stop();
  await cluster.stop();
});

test('a NodeAgent runs on every node, and its deletion takes the DaemonSet and the pods with it', async () => {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const agent = { apiVersion: `${GROUP}/v1`, kind: 'NodeAgent', metadata: { name: 'log-agent' }, spec: { image: 'fluent-bit:3' } };
  await custom.createNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'nodeagents', body: agent });

  const selector = 'agents.example.com/name=log-agent';
  const pods = await cluster.waitForPods({ namespace: NS, labelSelector: selector, count: 3, phase: 'Running', ready: true });
  assert.deepEqual(pods.map((p) => (p.spec as k8s.V1PodSpec).nodeName).sort(), ['node-1', 'node-2', 'node-3']);
  const ds = await apps.readNamespacedDaemonSet({ name: 'log-agent', namespace: NS });
  assert.equal(ds.metadata?.ownerReferences?.[0].kind, 'NodeAgent');

  // The garbage collector follows the ownerReference: DaemonSet first, then its pods.
  await custom.deleteNamespacedCustomObject({ group: GROUP, version: 'v1', namespace: NS, plural: 'nodeagents', name: 'log-agent' });
  await cluster.waitFor(async () => (await apps.listNamespacedDaemonSet({ namespace: NS })).items.length === 0);
  await cluster.waitFor(() => cluster.pods({ namespace: NS, labelSelector: selector }).length === 0);
});
