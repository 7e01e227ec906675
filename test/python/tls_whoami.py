"""The official Python client over TLS: loads the kubeconfig named by argv[1] (its CA, and a client
certificate or a token), asks who it is (a SelfSubjectReview, POSTed through the client's own
ApiClient, as older clients lack the typed call) and lists namespaces (or the status RBAC refused
them with); prints one JSON line.
Run by tls-client.test.ts; not a unittest module (run_tests.py collects test_*.py only).
"""
import json
import sys

from kubernetes import client, config
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
api = client.ApiClient()
review, status, _ = api.call_api(
    '/apis/authentication.k8s.io/v1/selfsubjectreviews', 'POST',
    body={'apiVersion': 'authentication.k8s.io/v1', 'kind': 'SelfSubjectReview'},
    header_params={'Content-Type': 'application/json', 'Accept': 'application/json'},
    response_type='object', auth_settings=['BearerToken'], _return_http_data_only=False)
try:
    namespaces = sorted(ns.metadata.name for ns in client.CoreV1Api(api).list_namespace().items)
    list_status = 200
except ApiException as e:
    namespaces, list_status = None, e.status
print(json.dumps({
    'host': client.Configuration.get_default_copy().host,
    'verify_ssl': client.Configuration.get_default_copy().verify_ssl,
    'status': status,
    'userInfo': review['status']['userInfo'],
    'namespaces': namespaces,
    'listStatus': list_status,
}))
