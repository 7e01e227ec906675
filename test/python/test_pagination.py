"""Paged lists: limit and _continue over many objects, each page of one consistent snapshot."""
from kubernetes import client

from support import NamespacedTest, pod_manifest, settle

COUNT = 23
PAGE = 5


class PaginationTest(NamespacedTest):
    prefix = 'py-pages'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        core = client.CoreV1Api()
        for i in range(COUNT):
            core.create_namespaced_pod(cls.ns, pod_manifest(f'pod-{i:02d}', labels={'app': 'paged', 'even': str(i % 2 == 0).lower()}))
        settle()  # the scheduler and kubelet are done with them: nothing changes while the tests page

    def test_pages_cover_the_list_once(self):
        """limit/_continue: full pages then the rest, every pod once, in name order, one resourceVersion"""
        core = client.CoreV1Api()
        names, sizes, versions, remaining = [], [], set(), []
        token = None
        while True:
            page = core.list_namespaced_pod(self.ns, limit=PAGE, _continue=token)
            names += [p.metadata.name for p in page.items]
            sizes.append(len(page.items))
            versions.add(page.metadata.resource_version)
            remaining.append(page.metadata.remaining_item_count)
            token = page.metadata._continue
            if not token:
                break
        self.assertEqual(names, [f'pod-{i:02d}' for i in range(COUNT)])
        self.assertEqual(sizes, [5, 5, 5, 5, 3])
        self.assertEqual(len(versions), 1, versions)
        self.assertEqual(remaining, [18, 13, 8, 3, None])

    def test_continue_reads_the_snapshot_of_the_first_page(self):
        """A pod created after the first page is not in the following pages; a new list sees it"""
        core = client.CoreV1Api()
        first = core.list_namespaced_pod(self.ns, limit=PAGE)
        core.create_namespaced_pod(self.ns, pod_manifest('pod-99-late'))
        try:
            rest = core.list_namespaced_pod(self.ns, limit=1000, _continue=first.metadata._continue)
            self.assertEqual(rest.metadata.resource_version, first.metadata.resource_version)
            self.assertNotIn('pod-99-late', [p.metadata.name for p in rest.items])
            self.assertEqual(len(first.items) + len(rest.items), COUNT)
            self.assertIn('pod-99-late', [p.metadata.name for p in core.list_namespaced_pod(self.ns).items])
        finally:
            core.delete_namespaced_pod('pod-99-late', self.ns, grace_period_seconds=0)

    def test_pages_with_a_label_selector(self):
        """limit with a label selector pages the matching pods only"""
        core = client.CoreV1Api()
        names, token = [], None
        while True:
            page = core.list_namespaced_pod(self.ns, label_selector='even=true', limit=4, _continue=token)
            self.assertLessEqual(len(page.items), 4)
            names += [p.metadata.name for p in page.items]
            token = page.metadata._continue
            if not token:
                break
        self.assertEqual(names, [f'pod-{i:02d}' for i in range(0, COUNT, 2)])

    def test_pages_across_namespaces(self):
        """list_pod_for_all_namespaces pages too (sorted by namespace, then name)"""
        core = client.CoreV1Api()
        seen, token = [], None
        while True:
            page = core.list_pod_for_all_namespaces(label_selector='app=paged', limit=10, _continue=token)
            seen += [(p.metadata.namespace, p.metadata.name) for p in page.items]
            token = page.metadata._continue
            if not token:
                break
        self.assertEqual(seen, [(self.ns, f'pod-{i:02d}') for i in range(COUNT)])
