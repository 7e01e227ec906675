"""Discovery through the generated APIs. They ask the paths with a trailing slash (/version/,
/api/v1/, /apis/, /apis/apps/v1/), which kube-apiserver serves as the paths without it."""
import unittest

from kubernetes import client

import support  # noqa: F401 (loads the cluster's kubeconfig from $KUBECONFIG)


class DiscoveryTest(unittest.TestCase):
    def test_version(self):
        """VersionApi().get_code() reads /version/"""
        info = client.VersionApi().get_code()
        self.assertEqual(info.major, '1')
        self.assertRegex(info.minor, r'^\d+\+?$')
        self.assertRegex(info.git_version, r'^v1\.\d+\.\d+')
        self.assertTrue(info.platform)

    def test_core_api_versions(self):
        """CoreApi().get_api_versions() reads /api/"""
        versions = client.CoreApi().get_api_versions()
        self.assertEqual(versions.kind, 'APIVersions')
        self.assertEqual(versions.versions, ['v1'])

    def test_core_v1_resources(self):
        """CoreV1Api().get_api_resources() reads /api/v1/"""
        listing = client.CoreV1Api().get_api_resources()
        self.assertEqual(listing.group_version, 'v1')
        by_name = {r.name: r for r in listing.resources}
        for name in ['namespaces', 'nodes', 'pods', 'pods/log', 'pods/status', 'events', 'services']:
            self.assertIn(name, by_name)
        pods = by_name['pods']
        self.assertEqual((pods.kind, pods.namespaced, pods.singular_name), ('Pod', True, 'pod'))
        self.assertIn('po', pods.short_names)
        self.assertTrue({'create', 'delete', 'get', 'list', 'patch', 'update', 'watch'} <= set(pods.verbs), pods.verbs)
        self.assertFalse(by_name['nodes'].namespaced)
        self.assertEqual(by_name['pods/log'].kind, 'Pod')

    def test_api_groups(self):
        """ApisApi().get_api_versions() reads /apis/"""
        groups = {g.name: g for g in client.ApisApi().get_api_versions().groups}
        self.assertTrue({'apps', 'coordination.k8s.io', 'events.k8s.io'} <= set(groups), sorted(groups))
        self.assertEqual(groups['apps'].preferred_version.group_version, 'apps/v1')
        self.assertIn('events.k8s.io/v1', [v.group_version for v in groups['events.k8s.io'].versions])

    def test_apps_v1_resources(self):
        """AppsV1Api().get_api_resources() reads /apis/apps/v1/"""
        listing = client.AppsV1Api().get_api_resources()
        self.assertEqual(listing.group_version, 'apps/v1')
        by_name = {r.name: r for r in listing.resources}
        self.assertTrue({'daemonsets', 'daemonsets/status', 'controllerrevisions'} <= set(by_name), sorted(by_name))
        ds = by_name['daemonsets']
        self.assertEqual((ds.kind, ds.namespaced), ('DaemonSet', True))
        self.assertIn('ds', ds.short_names)
        self.assertIn('all', ds.categories or [])

    def test_apps_group(self):
        """AppsApi().get_api_group() reads /apis/apps/"""
        group = client.AppsApi().get_api_group()
        self.assertEqual(group.name, 'apps')
        self.assertEqual(group.preferred_version.group_version, 'apps/v1')

    def test_events_v1_resources(self):
        """EventsV1Api().get_api_resources() reads /apis/events.k8s.io/v1/"""
        listing = client.EventsV1Api().get_api_resources()
        self.assertEqual(listing.group_version, 'events.k8s.io/v1')
        events = {r.name: r for r in listing.resources}['events']
        self.assertEqual((events.kind, events.namespaced), ('Event', True))
        self.assertIn('ev', events.short_names)
