"""Following a container's log: read_namespaced_pod_log(follow=True) as a raw stream, and
Watch().stream on it. The stream stays open while the container writes (one line a second on the
cluster's clock in kubemock's simulated kubelet) and ends when the pod goes."""
from kubernetes import client, watch

from support import STREAM_TIMEOUT, NamespacedTest, advance, lines_of, running_pod


class PodLogFollowTest(NamespacedTest):
    prefix = 'py-logs'

    def written_so_far(self, name):
        text = client.CoreV1Api().read_namespaced_pod_log(name, self.ns)
        self.assertTrue(text.endswith('\n'), repr(text))
        return text.splitlines()

    def test_follow_stream(self):
        """read_namespaced_pod_log(follow=True, _preload_content=False) keeps the stream open, gives new lines, ends when the pod is deleted"""
        running_pod(self.ns, 'follow-raw')
        before = self.written_so_far('follow-raw')
        core = client.CoreV1Api()
        resp = core.read_namespaced_pod_log('follow-raw', self.ns, follow=True, _preload_content=False,
                                            _request_timeout=STREAM_TIMEOUT)
        try:
            lines = lines_of(resp)
            # The clock stands still, so the stream starts with exactly what a plain read gave.
            self.assertEqual([next(lines) for _ in before], before)
            advance(3000)
            newer = next(lines, None)
            self.assertIsNotNone(newer, 'the log stream ended before the container wrote more: follow=True was not honoured')
            self.assertNotIn(newer, before)
            core.delete_namespaced_pod('follow-raw', self.ns, grace_period_seconds=0)
            rest = list(lines)  # ends once the pod is gone (a read timeout otherwise)
        finally:
            resp.release_conn()
        # Every line after the first ones is new: none repeats what was read before, none comes twice.
        followed = [newer, *rest]
        self.assertEqual(len(set(followed)), len(followed), followed)
        self.assertFalse(set(followed) & set(before), followed)

    def test_watch_stream_on_logs(self):
        """Watch().stream(read_namespaced_pod_log) yields the log's lines as they come and stops when the pod is deleted"""
        running_pod(self.ns, 'follow-watch')
        before = self.written_so_far('follow-watch')
        core = client.CoreV1Api()
        got = []
        for line in watch.Watch().stream(core.read_namespaced_pod_log, name='follow-watch', namespace=self.ns,
                                         _request_timeout=STREAM_TIMEOUT):
            got.append(line)
            if len(got) == len(before):
                self.assertEqual(got, before)
                advance(2000)
            elif len(got) == len(before) + 1:
                core.delete_namespaced_pod('follow-watch', self.ns, grace_period_seconds=0)
        self.assertGreater(len(got), len(before), 'no line came after the clock moved: follow=True was not honoured')
        self.assertTrue(all(line not in before for line in got[len(before):]), got)
