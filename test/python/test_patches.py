"""The three patch types through the generated API: a dict body is a strategic merge patch, a list
body a JSON patch (RFC 6902), and an ApiClient whose default Content-Type is
application/merge-patch+json sends JSON merge patches (RFC 7386)."""
from kubernetes import client

from support import NamespacedTest, daemonset_manifest, settle

# The DaemonSet strategy keeps the template's generation in this annotation (kept for old clients).
TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation'
CONTAINERS = [{'name': 'main', 'image': 'nginx:1.25'}, {'name': 'sidecar', 'image': 'busybox:1.36'}]


class PatchTest(NamespacedTest):
    prefix = 'py-patch'

    def fresh_daemonset(self, name):
        """A DaemonSet for no node (so no pods), as it is once its controller has written its status."""
        apps = client.AppsV1Api()
        manifest = daemonset_manifest(name, containers=CONTAINERS)
        manifest['metadata']['annotations'] = {'keep': 'yes', 'drop': 'yes'}
        manifest['spec']['template']['spec']['nodeSelector'] = {'example.com/no-such-node': 'true'}
        apps.create_namespaced_daemon_set(self.ns, manifest)
        settle()
        return apps.read_namespaced_daemon_set(name, self.ns)

    def images(self, ds):
        return [(c.name, c.image) for c in ds.spec.template.spec.containers]

    def test_strategic_merge_patch(self):
        """A dict body merges lists by their key (containers by name) and deletes a key set to None"""
        self.fresh_daemonset('smp')
        patched = client.AppsV1Api().patch_namespaced_daemon_set('smp', self.ns, {
            'metadata': {'annotations': {'drop': None, 'added': 'yes'}},
            'spec': {'template': {'spec': {'containers': [{'name': 'sidecar', 'image': 'busybox:1.37'}]}}},
        })
        self.assertEqual(self.images(patched), [('main', 'nginx:1.25'), ('sidecar', 'busybox:1.37')])
        self.assertEqual(patched.metadata.annotations, {'keep': 'yes', 'added': 'yes', TEMPLATE_GENERATION: '2'})

    def test_strategic_merge_patch_directives(self):
        """$patch: delete removes one container by name, and a nested map merges key by key"""
        self.fresh_daemonset('smp-directive')
        patched = client.AppsV1Api().patch_namespaced_daemon_set('smp-directive', self.ns, {
            'spec': {'template': {'spec': {'containers': [{'name': 'sidecar', '$patch': 'delete'}]}},
                     'updateStrategy': {'rollingUpdate': {'maxUnavailable': 2}}},
        })
        self.assertEqual(self.images(patched), [('main', 'nginx:1.25')])
        self.assertEqual(patched.spec.update_strategy.rolling_update.max_unavailable, 2)

    def test_json_merge_patch(self):
        """With Content-Type application/merge-patch+json a list is replaced whole"""
        self.fresh_daemonset('merge')
        merge_client = client.ApiClient()
        merge_client.set_default_header('Content-Type', 'application/merge-patch+json')
        patched = client.AppsV1Api(merge_client).patch_namespaced_daemon_set('merge', self.ns, {
            'metadata': {'annotations': {'drop': None}},
            'spec': {'template': {'spec': {'containers': [{'name': 'sidecar', 'image': 'busybox:1.37'}]}}},
        })
        self.assertEqual(self.images(patched), [('sidecar', 'busybox:1.37')])
        self.assertEqual(patched.metadata.annotations, {'keep': 'yes', TEMPLATE_GENERATION: '2'})

    def test_json_patch(self):
        """A list body is a JSON patch: test, add, replace, remove and move operations in order"""
        created = self.fresh_daemonset('json')
        patched = client.AppsV1Api().patch_namespaced_daemon_set('json', self.ns, [
            {'op': 'test', 'path': '/metadata/resourceVersion', 'value': created.metadata.resource_version},
            {'op': 'add', 'path': '/metadata/labels/tier', 'value': 'web'},
            {'op': 'replace', 'path': '/spec/template/spec/containers/0/image', 'value': 'nginx:1.27'},
            {'op': 'remove', 'path': '/metadata/annotations/drop'},
            {'op': 'move', 'from': '/metadata/annotations/keep', 'path': '/metadata/annotations/kept'},
        ])
        self.assertEqual(patched.metadata.labels, {'app': 'json', 'tier': 'web'})
        self.assertEqual(self.images(patched), [('main', 'nginx:1.27'), ('sidecar', 'busybox:1.36')])
        self.assertEqual(patched.metadata.annotations, {'kept': 'yes', TEMPLATE_GENERATION: '2'})
        self.assertEqual(patched.metadata.generation, 2)

    def test_patch_that_changes_nothing_writes_nothing(self):
        """A patch that leaves the object as it was keeps its resourceVersion"""
        created = self.fresh_daemonset('noop')
        same = client.AppsV1Api().patch_namespaced_daemon_set('noop', self.ns, {'metadata': {'labels': {'app': 'noop'}}})
        self.assertEqual(same.metadata.resource_version, created.metadata.resource_version)
        self.assertEqual(same.metadata.generation, 1)
