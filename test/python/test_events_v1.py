"""events.k8s.io/v1 through EventsV1Api: the events the controllers wrote (core/v1 events, seen
in the events.k8s.io/v1 shape: regarding, note, reportingController, deprecatedSource...), and an
event written through events.k8s.io/v1 read back through core/v1."""
import datetime
import json

from kubernetes import client
from kubernetes.client.rest import ApiException

from support import NamespacedTest, daemonset_manifest, eventually, pods_of, running_pod, status_of


def raw_list(namespace, **kwargs):
    # Raw JSON: the Python model requires event_time, which events written through core/v1 (as
    # controllers write them) do not have; the typed list raises ValueError on them, on any cluster.
    resp = client.EventsV1Api().list_namespaced_event(namespace, _preload_content=False, **kwargs)
    return json.loads(resp.data)


class EventsV1Test(NamespacedTest):
    prefix = 'py-events'

    def test_controller_events(self):
        """The DaemonSet controller's SuccessfulCreate events, listed through events.k8s.io/v1"""
        ds = client.AppsV1Api().create_namespaced_daemon_set(self.ns, daemonset_manifest('evented'))
        pods = eventually(lambda: len(pods_of(self.ns, 'app=evented')) == 3 and pods_of(self.ns, 'app=evented'))
        listing = raw_list(self.ns)
        self.assertEqual((listing['kind'], listing['apiVersion']), ('EventList', 'events.k8s.io/v1'))
        created = [e for e in listing['items'] if e['reason'] == 'SuccessfulCreate']
        self.assertEqual(sorted(e['note'] for e in created), sorted(f'Created pod: {p.metadata.name}' for p in pods))
        for e in created:
            regarding = dict(e['regarding'])
            self.assertTrue(regarding.pop('resourceVersion', None), e['regarding'])
            self.assertEqual(regarding, {'kind': 'DaemonSet', 'namespace': self.ns, 'name': 'evented',
                                         'uid': ds.metadata.uid, 'apiVersion': 'apps/v1'})
            self.assertEqual(e['type'], 'Normal')
            self.assertEqual(e['reportingController'], 'daemonset-controller')
            self.assertEqual(e['deprecatedSource'], {'component': 'daemonset-controller'})
            self.assertEqual(e['deprecatedCount'], 1)
            self.assertIn('deprecatedFirstTimestamp', e)
            for legacy in ('involvedObject', 'message', 'source', 'count', 'firstTimestamp', 'lastTimestamp'):
                self.assertNotIn(legacy, e)

        # Read one by name, and select by the regarding object's name.
        one = json.loads(client.EventsV1Api().read_namespaced_event(created[0]['metadata']['name'], self.ns,
                                                                    _preload_content=False).data)
        self.assertEqual((one['kind'], one['apiVersion'], one['note']), ('Event', 'events.k8s.io/v1', created[0]['note']))
        all_namespaces = json.loads(client.EventsV1Api().list_event_for_all_namespaces(_preload_content=False).data)
        self.assertTrue({e['metadata']['uid'] for e in created} <= {e['metadata']['uid'] for e in all_namespaces['items']})

    def test_scheduler_events_are_events_v1_writes(self):
        """kube-scheduler's Scheduled event is an events.k8s.io/v1 write: the typed EventsV1Api reads it"""
        pod = running_pod(self.ns, 'placed')
        # Typed: event_time is set (the model requires it), as on a cluster.
        events = client.EventsV1Api().list_namespaced_event(self.ns, field_selector='reason=Scheduled,regarding.name=placed').items
        self.assertEqual(len(events), 1)
        e = events[0]
        self.assertEqual((e.action, e.type, e.note), ('Binding', 'Normal', f'Successfully assigned {self.ns}/placed to {pod.spec.node_name}'))
        self.assertEqual(e.reporting_controller, 'default-scheduler')
        self.assertTrue(e.reporting_instance.startswith('default-scheduler-'), e.reporting_instance)
        self.assertIsNotNone(e.event_time)
        self.assertEqual((e.regarding.kind, e.regarding.name, e.regarding.uid), ('Pod', 'placed', pod.metadata.uid))
        self.assertEqual((e.deprecated_count, e.deprecated_first_timestamp, e.deprecated_last_timestamp, e.series), (None, None, None, None))
        self.assertEqual((e.deprecated_source.component, e.deprecated_source.host), (None, None))
        managed = [(m.manager, m.operation, m.api_version) for m in e.metadata.managed_fields]
        self.assertEqual(managed, [('kube-scheduler', 'Update', 'events.k8s.io/v1')])
        self.assertIn('f:note', e.metadata.managed_fields[0].fields_v1)

    def test_write_through_events_v1_read_through_core_v1(self):
        """An event created with EventsV1Api is the same object as a core/v1 Event"""
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=123456)
        body = client.EventsV1Event(
            metadata=client.V1ObjectMeta(name='written.by-python'),
            event_time=now,
            regarding=client.V1ObjectReference(kind='Pod', namespace=self.ns, name='someone', api_version='v1'),
            reason='Tested', note='written through events.k8s.io/v1', type='Normal', action='Testing',
            reporting_controller='example.com/python-test', reporting_instance='python-test-1')
        created = client.EventsV1Api().create_namespaced_event(self.ns, body)
        self.assertEqual(created.event_time, now)
        self.assertEqual(created.note, 'written through events.k8s.io/v1')
        core = client.CoreV1Api().read_namespaced_event('written.by-python', self.ns)
        self.assertEqual((core.message, core.reason, core.type, core.action), ('written through events.k8s.io/v1', 'Tested', 'Normal', 'Testing'))
        self.assertEqual((core.involved_object.kind, core.involved_object.namespace, core.involved_object.name), ('Pod', self.ns, 'someone'))
        self.assertEqual((core.reporting_component, core.reporting_instance), ('example.com/python-test', 'python-test-1'))
        self.assertEqual(core.event_time, now)

    def test_events_v1_create_requires_the_new_fields(self):
        """events.k8s.io/v1 validates strictly: no reportingController, reportingInstance or action is 422 Invalid"""
        body = client.EventsV1Event(
            metadata=client.V1ObjectMeta(name='incomplete'),
            event_time=datetime.datetime.now(datetime.timezone.utc),
            regarding=client.V1ObjectReference(kind='Pod', namespace=self.ns, name='someone', api_version='v1'),
            reason='Tested', note='missing fields', type='Normal')
        with self.assertRaises(ApiException) as caught:
            client.EventsV1Api().create_namespaced_event(self.ns, body)
        status = status_of(caught.exception)
        self.assertEqual((caught.exception.status, status['reason']), (422, 'Invalid'))
        # One REST storage serves both groups upstream; its errors name the internal type's first
        # registered kind, core's Event, so the details carry no group.
        self.assertEqual((status['details']['name'], status['details'].get('group'), status['details']['kind']),
                         ('incomplete', None, 'Event'))
        required = {c['field'] for c in status['details']['causes'] if c['reason'] == 'FieldValueRequired'}
        self.assertTrue({'reportingController', 'reportingInstance', 'action'} <= required, status['details']['causes'])
