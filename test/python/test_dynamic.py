"""kubernetes.dynamic.DynamicClient: resources found through discovery, then create, get, list,
patch (strategic merge by default, merge via content_type) and delete of a DaemonSet."""
import os
import shutil
import tempfile

from kubernetes import client
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import NotFoundError

from support import NamespacedTest, daemonset_manifest


class DynamicClientTest(NamespacedTest):
    prefix = 'py-dynamic'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cache_dir = tempfile.mkdtemp(prefix='kubemock-py-discovery-')
        cls.dyn = DynamicClient(client.ApiClient(), cache_file=os.path.join(cls.cache_dir, 'discovery.json'))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.cache_dir, ignore_errors=True)
        super().tearDownClass()

    def test_discovered_resources(self):
        """resources.get finds DaemonSet in apps/v1 and Pod in v1, with their paths"""
        ds = self.dyn.resources.get(api_version='apps/v1', kind='DaemonSet')
        self.assertEqual((ds.name, ds.group, ds.api_version, ds.namespaced), ('daemonsets', 'apps', 'v1', True))
        self.assertEqual(ds.path(name='x', namespace='y'), '/apis/apps/v1/namespaces/y/daemonsets/x')
        self.assertIn('status', ds.subresources)
        pod = self.dyn.resources.get(api_version='v1', kind='Pod')
        self.assertEqual(pod.path(namespace='y'), '/api/v1/namespaces/y/pods')
        self.assertIn('log', pod.subresources)
        self.assertEqual(self.dyn.version['kubernetes']['major'], '1')

    def test_daemonset_create_get_patch_delete(self):
        """create, get, list, strategic merge and merge patches, delete"""
        api = self.dyn.resources.get(api_version='apps/v1', kind='DaemonSet')
        containers = [{'name': 'main', 'image': 'nginx:1.25'}, {'name': 'sidecar', 'image': 'busybox:1.36'}]
        created = api.create(body=daemonset_manifest('dyn', containers=containers), namespace=self.ns)
        self.assertEqual(created.metadata.name, 'dyn')
        self.assertTrue(created.metadata.uid)
        self.assertEqual(created.spec.updateStrategy.type, 'RollingUpdate')  # defaulted by the server

        got = api.get(name='dyn', namespace=self.ns)
        self.assertEqual(got.metadata.uid, created.metadata.uid)
        listed = api.get(namespace=self.ns, label_selector='app=dyn')
        self.assertEqual(listed.kind, 'DaemonSetList')
        self.assertEqual([i.metadata.name for i in listed.items], ['dyn'])

        # The dynamic client's default patch is a strategic merge: containers merge by name.
        body = {'spec': {'template': {'spec': {'containers': [{'name': 'main', 'image': 'nginx:1.27'}]}}}}
        strategic = api.patch(body=body, name='dyn', namespace=self.ns)
        self.assertEqual([(c.name, c.image) for c in strategic.spec.template.spec.containers],
                         [('main', 'nginx:1.27'), ('sidecar', 'busybox:1.36')])
        self.assertEqual(strategic.metadata.generation, 2)

        # A JSON merge patch (RFC 7386) replaces the list as a whole.
        body = {'metadata': {'labels': {'patched': 'merge'}},
                'spec': {'template': {'spec': {'containers': [{'name': 'main', 'image': 'nginx:1.28'}]}}}}
        merged = api.patch(body=body, name='dyn', namespace=self.ns, content_type='application/merge-patch+json')
        self.assertEqual([(c.name, c.image) for c in merged.spec.template.spec.containers], [('main', 'nginx:1.28')])
        self.assertEqual(merged.metadata.labels['patched'], 'merge')
        self.assertEqual(merged.metadata.generation, 3)

        # Deleted at once (no finalizer; the pods go in the background): a Success Status naming it.
        gone = api.delete(name='dyn', namespace=self.ns)
        self.assertEqual((gone.kind, gone.status), ('Status', 'Success'))
        self.assertEqual(gone.to_dict()['details'], {'name': 'dyn', 'group': 'apps', 'kind': 'daemonsets', 'uid': created.metadata.uid})
        with self.assertRaises(NotFoundError) as caught:
            api.get(name='dyn', namespace=self.ns)
        self.assertEqual(caught.exception.status, 404)
