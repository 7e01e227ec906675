"""DaemonSets driven by the Python client: the tutorial's DaemonSet on the tutorial's four nodes
(created from test/fixtures/tutorial-daemonset.yaml with kubernetes.utils), its rolling update and
its deletion; and a delete with orphan_dependents=True, which keeps the pods."""
import os

from kubernetes import client, utils
from kubernetes.client.rest import ApiException

from support import FIXTURES, NamespacedTest, advance, daemonset_manifest, eventually, is_ready, pods_of, settle

TUTORIAL = os.path.join(FIXTURES, 'tutorial-daemonset.yaml')
NAME = 'fluentd-elasticsearch'
NS = 'kube-system'
SELECTOR = 'name=fluentd-elasticsearch'
NEW_IMAGE = 'quay.io/fluentd_elasticsearch/fluentd:v2.6.0'


def ready_nodes(pods):
    return sorted(p.spec.node_name for p in pods if is_ready(p))


def gone(read):
    try:
        read()
    except ApiException as e:
        if e.status == 404:
            return True
        raise
    return False


class TutorialDaemonSetTest(NamespacedTest):
    prefix = 'py-ds'

    def test_tutorial_lifecycle(self):
        """create from YAML → a Running pod per node (master tolerated) → template update rolls out one node at a time → Foreground delete takes the pods"""
        apps, core = client.AppsV1Api(), client.CoreV1Api()
        nodes = sorted(n.metadata.name for n in core.list_node().items)
        self.assertEqual(nodes, ['master', 'node-1', 'node-2', 'node-3'])  # test/fixtures/tutorial-cluster.yaml

        [[created]] = utils.create_from_yaml(client.ApiClient(), TUTORIAL)
        self.assertIsInstance(created, client.V1DaemonSet)
        self.assertEqual((created.metadata.namespace, created.metadata.name), (NS, NAME))

        def all_running():
            pods = pods_of(NS, SELECTOR)
            self.assertEqual(ready_nodes(pods), nodes)
            return pods
        pods = eventually(all_running)
        for pod in pods:
            [owner] = pod.metadata.owner_references
            self.assertEqual((owner.kind, owner.name, owner.uid, owner.controller, owner.block_owner_deletion),
                             ('DaemonSet', NAME, created.metadata.uid, True, True))
        first_hash = {p.metadata.labels['controller-revision-hash'] for p in pods}
        self.assertEqual(len(first_hash), 1)

        def status_is(generation, expected):
            ds = apps.read_namespaced_daemon_set_status(NAME, NS)
            s = ds.status
            actual = (s.observed_generation, s.desired_number_scheduled, s.current_number_scheduled, s.number_ready,
                      s.number_available, s.updated_number_scheduled, s.number_misscheduled)
            self.assertEqual(actual, (generation, *expected))
            return ds
        eventually(lambda: status_is(1, (4, 4, 4, 4, 4, 0)))

        # Update the template: the RollingUpdate strategy (maxUnavailable 1) replaces one pod at a time.
        apps.patch_namespaced_daemon_set(NAME, NS, {'spec': {'template': {'spec': {'containers': [
            {'name': 'fluentd-elasticsearch', 'image': NEW_IMAGE}]}}}})
        replaced_on = []
        for _ in range(120):
            advance(2000)
            pods = pods_of(NS, SELECTOR)
            ready = [p for p in pods if is_ready(p)]
            self.assertGreaterEqual(len(ready), len(nodes) - 1, 'more than maxUnavailable=1 pods unavailable at once')
            for p in ready:
                if p.spec.containers[0].image == NEW_IMAGE and p.spec.node_name not in replaced_on:
                    replaced_on.append(p.spec.node_name)
            if len(replaced_on) == len(nodes) and len(pods) == len(nodes):
                break
        self.assertEqual(sorted(replaced_on), nodes)
        self.assertEqual(len({p.metadata.labels['controller-revision-hash'] for p in pods} | first_hash), 2)
        eventually(lambda: status_is(2, (4, 4, 4, 4, 4, 0)))
        revisions = apps.list_namespaced_controller_revision(NS, label_selector=SELECTOR).items
        self.assertEqual(sorted(r.revision for r in revisions), [1, 2])

        # Foreground deletion: the DaemonSet stays, marked, until the garbage collector has removed its pods.
        apps.delete_namespaced_daemon_set(NAME, NS, propagation_policy='Foreground')
        deleting = apps.read_namespaced_daemon_set(NAME, NS)
        self.assertIsNotNone(deleting.metadata.deletion_timestamp)
        self.assertIn('foregroundDeletion', deleting.metadata.finalizers)
        eventually(lambda: pods_of(NS, SELECTOR) == [] and gone(lambda: apps.read_namespaced_daemon_set(NAME, NS)),
                   step_ms=5000)
        self.assertEqual(apps.list_namespaced_controller_revision(NS, label_selector=SELECTOR).items, [])

    def test_delete_orphaning_dependents(self):
        """delete with orphan_dependents=True removes the DaemonSet and keeps its pods and revisions, no longer owned"""
        apps = client.AppsV1Api()
        ds = apps.create_namespaced_daemon_set(self.ns, daemonset_manifest('orphaner'))

        def running():
            pods = pods_of(self.ns, 'app=orphaner')
            self.assertEqual(ready_nodes(pods), ['node-1', 'node-2', 'node-3'])  # no toleration: not the master
            return pods
        pods = eventually(running)
        self.assertTrue(all(p.metadata.owner_references[0].uid == ds.metadata.uid for p in pods))
        apps.delete_namespaced_daemon_set('orphaner', self.ns, orphan_dependents=True)
        eventually(lambda: gone(lambda: apps.read_namespaced_daemon_set('orphaner', self.ns)))
        advance(60_000)
        settle()
        kept = pods_of(self.ns, 'app=orphaner')
        self.assertEqual(sorted(p.metadata.uid for p in kept), sorted(p.metadata.uid for p in pods))
        self.assertTrue(all(not p.metadata.owner_references for p in kept), [p.metadata.owner_references for p in kept])
        self.assertTrue(all(is_ready(p) for p in kept))
        revisions = apps.list_namespaced_controller_revision(self.ns, label_selector='app=orphaner').items
        self.assertEqual(len(revisions), 1)
        self.assertFalse(revisions[0].metadata.owner_references)

    def test_delete_with_propagation_policy_orphan(self):
        """propagation_policy='Orphan' does the same"""
        apps = client.AppsV1Api()
        apps.create_namespaced_daemon_set(self.ns, daemonset_manifest('orphan-policy'))
        pods = eventually(lambda: len(ready_nodes(pods_of(self.ns, 'app=orphan-policy'))) == 3 and pods_of(self.ns, 'app=orphan-policy'))
        apps.delete_namespaced_daemon_set('orphan-policy', self.ns, propagation_policy='Orphan')
        eventually(lambda: gone(lambda: apps.read_namespaced_daemon_set('orphan-policy', self.ns)))
        settle()
        kept = pods_of(self.ns, 'app=orphan-policy')
        self.assertEqual(sorted(p.metadata.uid for p in kept), sorted(p.metadata.uid for p in pods))
        self.assertTrue(all(not p.metadata.owner_references for p in kept))
