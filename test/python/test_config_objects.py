"""ConfigMaps and Secrets through the Python client's typed API: stringData folded into base64
data and never returned, binaryData and data side by side, immutability refused with a 422 the
client raises, and the field selector on a Secret's type."""
import base64

from kubernetes import client
from kubernetes.client.rest import ApiException

from support import NamespacedTest, status_of


def b64(text):
    return base64.b64encode(text.encode()).decode()


class ConfigObjectsTest(NamespacedTest):
    prefix = 'py-config'

    def test_configmap_round_trip(self):
        """A ConfigMap with data and binaryData reads back as written; immutable ones refuse new data"""
        core = client.CoreV1Api()
        body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name='settings'),
                                  data={'mode': 'fast'}, binary_data={'blob': b64('\x01\x02')}, immutable=True)
        core.create_namespaced_config_map(self.ns, body)
        got = core.read_namespaced_config_map('settings', self.ns)
        self.assertEqual(got.data, {'mode': 'fast'})
        self.assertEqual(got.binary_data, {'blob': b64('\x01\x02')})
        self.assertTrue(got.immutable)
        with self.assertRaises(ApiException) as caught:
            core.patch_namespaced_config_map('settings', self.ns, {'data': {'mode': 'slow'}})
        self.assertEqual(caught.exception.status, 422)
        status = status_of(caught.exception)
        self.assertEqual(status['reason'], 'Invalid')
        self.assertEqual(status['details']['causes'][0]['field'], 'data')

    def test_secret_string_data_and_type_selector(self):
        """stringData lands in data as base64 and is not returned; list by the type field selector"""
        core = client.CoreV1Api()
        core.create_namespaced_secret(self.ns, client.V1Secret(
            metadata=client.V1ObjectMeta(name='login'), type='kubernetes.io/basic-auth',
            string_data={'username': 'admin', 'password': 's3cret'}))
        core.create_namespaced_secret(self.ns, client.V1Secret(metadata=client.V1ObjectMeta(name='plain'),
                                                               data={'k': b64('v')}))
        login = core.read_namespaced_secret('login', self.ns)
        self.assertEqual(login.data, {'password': b64('s3cret'), 'username': b64('admin')})
        self.assertIsNone(login.string_data)
        self.assertEqual(core.read_namespaced_secret('plain', self.ns).type, 'Opaque')
        basic = core.list_namespaced_secret(self.ns, field_selector='type=kubernetes.io/basic-auth')
        self.assertEqual([s.metadata.name for s in basic.items], ['login'])
