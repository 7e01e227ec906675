"""Server-side apply through kubernetes.dynamic.DynamicClient.server_side_apply: the object is
created with an Apply entry for the field manager, another manager's change of that field is a 409
naming the owner, and force_conflicts takes the field over."""
import json
import os
import shutil
import tempfile

from kubernetes import client
from kubernetes.client.rest import ApiException
from kubernetes.dynamic import DynamicClient

from support import NamespacedTest


def config_map(name, data):
    # The client's REST layer only sends a str body for application/apply-patch+yaml (a dict is refused
    # before any request); JSON is YAML.
    return json.dumps({'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': name}, 'data': data})


class ServerSideApplyTest(NamespacedTest):
    prefix = 'py-ssa'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cache_dir = tempfile.mkdtemp(prefix='kubemock-py-ssa-')
        cls.dyn = DynamicClient(client.ApiClient(), cache_file=os.path.join(cls.cache_dir, 'discovery.json'))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.cache_dir, ignore_errors=True)
        super().tearDownClass()

    def test_apply_conflict_and_force(self):
        """apply creates with an Apply entry; a second manager conflicts (409) until it forces"""
        api = self.dyn.resources.get(api_version='v1', kind='ConfigMap')
        created = api.server_side_apply(body=config_map('applied', {'a': '1'}), name='applied', namespace=self.ns,
                                        field_manager='py-owner')
        self.assertEqual(created.data.a, '1')
        entries = created.metadata.managedFields
        self.assertEqual([(e.manager, e.operation, e.apiVersion, e.fieldsType) for e in entries],
                         [('py-owner', 'Apply', 'v1', 'FieldsV1')])
        self.assertEqual(created.to_dict()['metadata']['managedFields'][0]['fieldsV1'], {'f:data': {'f:a': {}}})

        with self.assertRaises(ApiException) as caught:
            api.server_side_apply(body=config_map('applied', {'a': '2'}), name='applied', namespace=self.ns,
                                  field_manager='py-other')
        self.assertEqual(caught.exception.status, 409)
        status = json.loads(caught.exception.body)
        self.assertEqual(status['message'], 'Apply failed with 1 conflict: conflict with "py-owner": .data.a')
        self.assertEqual(status['details']['causes'],
                         [{'reason': 'FieldManagerConflict', 'message': 'conflict with "py-owner"', 'field': '.data.a'}])

        forced = api.server_side_apply(body=config_map('applied', {'a': '2'}), name='applied', namespace=self.ns,
                                       field_manager='py-other', force_conflicts=True)
        self.assertEqual(forced.data.a, '2')
        self.assertEqual([e.manager for e in forced.metadata.managedFields], ['py-other'])
