"""kubernetes.watch.Watch on pods: the events of a pod's life, bookmarks, and 410 Gone for a
resourceVersion older than the server's history."""
import unittest

from kubernetes import client, watch
from kubernetes.client.rest import ApiException

from support import HISTORY, STREAM_TIMEOUT, NamespacedTest, advance, pod_manifest


class PodWatchTest(NamespacedTest):
    prefix = 'py-watch'

    def test_events_of_a_pod_then_a_bookmark(self):
        """Watch(allow_watch_bookmarks=True) from a list's resourceVersion sees ADDED, MODIFIED, DELETED, then a BOOKMARK"""
        core = client.CoreV1Api()
        start = core.list_namespaced_pod(self.ns).metadata.resource_version
        core.create_namespaced_pod(self.ns, pod_manifest('watched'))
        core.patch_namespaced_pod('watched', self.ns, {'metadata': {'labels': {'stage': 'two'}}})
        core.delete_namespaced_pod('watched', self.ns, grace_period_seconds=0)

        seen = []
        w = watch.Watch()
        for event in w.stream(core.list_namespaced_pod, self.ns, resource_version=start, allow_watch_bookmarks=True,
                              timeout_seconds=600, _request_timeout=STREAM_TIMEOUT):
            seen.append(event)
            if event['type'] == 'DELETED':
                # kube-apiserver sends a watcher that asked for them a bookmark about once a minute.
                advance(61_000)
            if event['type'] == 'BOOKMARK':
                w.stop()

        self.assertTrue(seen, 'the watch delivered no event (was watch=True taken for a list?)')
        types = [e['type'] for e in seen]
        self.assertEqual(types[0], 'ADDED', types)
        self.assertEqual(types[-2:], ['DELETED', 'BOOKMARK'], types)
        self.assertTrue(set(types[1:-2]) <= {'MODIFIED'}, types)
        pods = [e['object'] for e in seen[:-1]]
        self.assertTrue(all(isinstance(p, client.V1Pod) and p.metadata.name == 'watched' for p in pods), types)
        self.assertTrue(any(e['type'] == 'MODIFIED' and (e['object'].metadata.labels or {}).get('stage') == 'two' for e in seen),
                        'no MODIFIED event carries the new label')
        # Each event's object is newer than the one before, and the watch resumes from the last one.
        versions = [int(p.metadata.resource_version) for p in pods]
        self.assertEqual(versions, sorted(versions))
        self.assertGreater(versions[0], int(start))
        bookmark = seen[-1]['raw_object']
        self.assertEqual(bookmark['kind'], 'Pod')
        self.assertGreaterEqual(int(bookmark['metadata']['resourceVersion']), versions[-1])
        # The Watch keeps the newest resourceVersion it saw, to resume from (newer clients take the bookmark's).
        self.assertIn(w.resource_version, {pods[-1].metadata.resource_version, bookmark['metadata']['resourceVersion']})

    def test_live_events_with_a_label_selector(self):
        """A watch from now on (no resourceVersion) lists what exists as ADDED, then sees changes to matching pods only"""
        core = client.CoreV1Api()
        core.create_namespaced_pod(self.ns, pod_manifest('early', labels={'watch': 'me'}))
        core.create_namespaced_pod(self.ns, pod_manifest('other', labels={'watch': 'not-me'}))
        seen = []
        w = watch.Watch()
        for event in w.stream(core.list_namespaced_pod, self.ns, label_selector='watch=me', timeout_seconds=600,
                              _request_timeout=STREAM_TIMEOUT):
            seen.append((event['type'], event['object'].metadata.name))
            if len(seen) == 1:
                core.create_namespaced_pod(self.ns, pod_manifest('late', labels={'watch': 'me'}))
                core.patch_namespaced_pod('other', self.ns, {'metadata': {'annotations': {'touched': 'yes'}}})
                core.delete_namespaced_pod('late', self.ns, grace_period_seconds=0)
            if seen[-1] == ('DELETED', 'late'):
                w.stop()
        self.assertTrue(seen, 'the watch delivered no event (was watch=True taken for a list?)')
        self.assertEqual(seen[0], ('ADDED', 'early'))
        self.assertIn(('ADDED', 'late'), seen)
        self.assertNotIn('other', [name for _, name in seen])

    @unittest.skipIf(HISTORY > 5000, f'the server keeps {HISTORY} changes: too many to write past in a short test')
    def test_too_old_resource_version_is_410_gone(self):
        """A watch from a resourceVersion the server no longer keeps ends in ApiException 410 (Expired)"""
        core = client.CoreV1Api()
        old = core.list_namespaced_pod(self.ns).metadata.resource_version
        # Write past the history the server keeps, so that `old` has been compacted away.
        for i in range(HISTORY + 150):
            core.patch_namespace(self.ns, {'metadata': {'labels': {'write': str(i)}}})

        # With timeout_seconds the Python Watch does not retry: the first ERROR event raises.
        with self.assertRaises(ApiException) as caught:
            for _ in watch.Watch().stream(core.list_namespaced_pod, self.ns, resource_version=old, timeout_seconds=60,
                                          _request_timeout=STREAM_TIMEOUT):
                self.fail('a watch from a compacted resourceVersion delivered an event')
        self.assertEqual(caught.exception.status, 410)
        # kube-apiserver answers 200 and an ERROR event carrying Status{code: 410, reason: Expired};
        # the Watch raises with "<reason>: <message>".
        self.assertTrue(caught.exception.reason.startswith('Expired: too old resource version'), caught.exception.reason)

        # Without it, the Watch retries once from the same resourceVersion, then raises the same way.
        with self.assertRaises(ApiException) as again:
            for _ in watch.Watch().stream(core.list_namespaced_pod, self.ns, resource_version=old,
                                          _request_timeout=STREAM_TIMEOUT):
                self.fail('a watch from a compacted resourceVersion delivered an event')
        self.assertEqual(again.exception.status, 410)

        # A fresh list gives a resourceVersion to watch from again.
        fresh = core.list_namespaced_pod(self.ns).metadata.resource_version
        w = watch.Watch()
        core.create_namespaced_pod(self.ns, pod_manifest('after-relist'))
        for event in w.stream(core.list_namespaced_pod, self.ns, resource_version=fresh, timeout_seconds=60,
                              _request_timeout=STREAM_TIMEOUT):
            self.assertEqual((event['type'], event['object'].metadata.name), ('ADDED', 'after-relist'))
            w.stop()
