"""Errors as the Python client sees them: ApiException with the HTTP status, and the Kubernetes
Status in its body with the reason, message and details kube-apiserver gives."""
from kubernetes import client
from kubernetes.client.rest import ApiException

from support import NamespacedTest, daemonset_manifest, pod_manifest, status_of


class ErrorTest(NamespacedTest):
    prefix = 'py-errors'

    def failure(self, call, *args, **kwargs):
        with self.assertRaises(ApiException) as caught:
            call(*args, **kwargs)
        status = status_of(caught.exception)
        self.assertEqual((status['kind'], status['apiVersion'], status['status']), ('Status', 'v1', 'Failure'))
        self.assertEqual(status['code'], caught.exception.status)
        return caught.exception.status, status

    def test_404_not_found(self):
        """Reading or deleting a pod that is not there: 404 NotFound naming it"""
        core = client.CoreV1Api()
        code, status = self.failure(core.read_namespaced_pod, 'absent', self.ns)
        self.assertEqual((code, status['reason']), (404, 'NotFound'))
        self.assertEqual(status['message'], 'pods "absent" not found')
        self.assertEqual(status['details'], {'name': 'absent', 'kind': 'pods'})
        code, status = self.failure(client.AppsV1Api().delete_namespaced_daemon_set, 'absent', self.ns)
        self.assertEqual((code, status['reason']), (404, 'NotFound'))
        self.assertEqual(status['message'], 'daemonsets.apps "absent" not found')
        self.assertEqual(status['details'], {'name': 'absent', 'group': 'apps', 'kind': 'daemonsets'})

    def test_404_namespace_not_found(self):
        """Creating in a namespace that does not exist: 404 naming the namespace"""
        code, status = self.failure(client.CoreV1Api().create_namespaced_pod, 'no-such-namespace', pod_manifest('p'))
        self.assertEqual((code, status['reason']), (404, 'NotFound'))
        self.assertEqual(status['message'], 'namespaces "no-such-namespace" not found')
        self.assertEqual(status['details'], {'name': 'no-such-namespace', 'kind': 'namespaces'})

    def test_409_already_exists(self):
        """Creating a pod twice: 409 AlreadyExists"""
        core = client.CoreV1Api()
        core.create_namespaced_pod(self.ns, pod_manifest('twice'))
        code, status = self.failure(core.create_namespaced_pod, self.ns, pod_manifest('twice'))
        self.assertEqual((code, status['reason']), (409, 'AlreadyExists'))
        self.assertEqual(status['message'], 'pods "twice" already exists')
        self.assertEqual(status['details'], {'name': 'twice', 'kind': 'pods'})

    def test_409_conflict_on_a_stale_resource_version(self):
        """Replacing with a resourceVersion that is no longer current: 409 Conflict"""
        core = client.CoreV1Api()
        stale = core.create_namespaced_pod(self.ns, pod_manifest('stale'))
        core.patch_namespaced_pod('stale', self.ns, {'metadata': {'labels': {'moved': 'on'}}})
        stale.metadata.labels = {'app': 'stale', 'mine': 'yes'}
        code, status = self.failure(core.replace_namespaced_pod, 'stale', self.ns, stale)
        self.assertEqual((code, status['reason']), (409, 'Conflict'))
        self.assertEqual(status['message'], 'Operation cannot be fulfilled on pods "stale": the object has been modified; '
                                            'please apply your changes to the latest version and try again')
        self.assertEqual(status['details'], {'name': 'stale', 'kind': 'pods'})
        self.assertNotIn('mine', core.read_namespaced_pod('stale', self.ns).metadata.labels)

    def test_422_invalid_with_causes(self):
        """A bad name and a selector that does not match the template: 422 Invalid with a cause per field"""
        core = client.CoreV1Api()
        code, status = self.failure(core.create_namespaced_pod, self.ns, pod_manifest('Bad_Name'))
        self.assertEqual((code, status['reason']), (422, 'Invalid'))
        self.assertEqual(status['details']['name'], 'Bad_Name')
        self.assertEqual(status['details']['kind'], 'Pod')
        causes = status['details']['causes']
        self.assertEqual([(c['reason'], c['field']) for c in causes], [('FieldValueInvalid', 'metadata.name')])
        self.assertTrue(causes[0]['message'].startswith('Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain'), causes)
        self.assertTrue(status['message'].startswith('Pod "Bad_Name" is invalid: metadata.name: Invalid value'), status['message'])

        ds = daemonset_manifest('mismatch')
        ds['spec']['template']['metadata']['labels'] = {'app': 'other'}
        code, status = self.failure(client.AppsV1Api().create_namespaced_daemon_set, self.ns, ds)
        self.assertEqual((code, status['reason']), (422, 'Invalid'))
        self.assertEqual((status['details']['name'], status['details']['group'], status['details']['kind']),
                         ('mismatch', 'apps', 'DaemonSet'))
        fields = [(c['reason'], c['field']) for c in status['details']['causes']]
        self.assertIn(('FieldValueInvalid', 'spec.template.metadata.labels'), fields)

    def test_422_required_value(self):
        """A pod without containers: 422 with a FieldValueRequired cause"""
        body = pod_manifest('empty')
        body['spec']['containers'] = []
        code, status = self.failure(client.CoreV1Api().create_namespaced_pod, self.ns, body)
        self.assertEqual((code, status['reason']), (422, 'Invalid'))
        self.assertIn({'reason': 'FieldValueRequired', 'message': 'Required value', 'field': 'spec.containers'},
                      status['details']['causes'])

    def test_400_bad_request(self):
        """A label selector that does not parse: 400 BadRequest"""
        code, status = self.failure(client.CoreV1Api().list_namespaced_pod, self.ns, label_selector='app in (a')
        self.assertEqual((code, status['reason']), (400, 'BadRequest'))
        self.assertIn('unable to parse requirement', status['message'])
