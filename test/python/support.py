"""What the Python client tests share: the cluster the wrapper started (read from $KUBECONFIG as any
Python program would), kubemock's control API for its manual clock, and small helpers.

The wrapper (python-client.test.ts) starts kubemock with a manual clock, the tutorial's four nodes
and a short revision history (KUBEMOCK_TEST_HISTORY changes), so nothing here sleeps: time passes
when a test advances the clock.
"""
import json
import os
import unittest
import urllib.request
import uuid

from kubernetes import client, config
from kubernetes.client.rest import ApiException

if not os.environ.get('KUBECONFIG'):
    # Never fall back to ~/.kube/config: these tests write to the cluster (kube-system included).
    raise RuntimeError('KUBECONFIG must name the kubeconfig of a kubemock started with --clock=manual '
                       '(npm run test:python starts one)')
config.load_kube_config()

HOST = client.Configuration.get_default_copy().host
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, 'test', 'fixtures')
# Changes the server keeps for watches and paged lists; older resourceVersions are too old (410).
HISTORY = int(os.environ.get('KUBEMOCK_TEST_HISTORY', '200'))
# A socket read timeout for streams, so a stream that never ends fails its test instead of hanging.
STREAM_TIMEOUT = (5, 30)


# Straight to the server, as the Kubernetes client goes: no proxy from the environment.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def control(method, path, body=None):
    """A request to kubemock's control API (/kubemock/v1/...); returns the parsed JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f'{HOST}/kubemock/v1/{path}', data=data, method=method,
                                 headers={'Content-Type': 'application/json'})
    with _direct.open(req, timeout=30) as res:
        return json.load(res)


try:
    _clock_mode = control('GET', 'clock').get('mode')
except OSError as e:
    raise RuntimeError(f'{HOST} does not answer as a kubemock (GET /kubemock/v1/clock: {e})') from e
if _clock_mode != 'manual':
    raise RuntimeError(f'the kubemock at {HOST} runs on a {_clock_mode} clock; these tests need --clock=manual')


def advance(ms):
    """Moves the manual clock on; returns once the controllers are idle again."""
    return control('POST', 'clock/advance', {'ms': ms})


def settle():
    """Returns once the controllers have nothing queued or running."""
    control('POST', 'settle', {})


def eventually(check, step_ms=1000, steps=300):
    """Calls check() until it returns a true value without raising, moving the clock step_ms on
    between attempts (time on the cluster's clock, not the wall clock); returns that value."""
    last = None
    for _ in range(steps):
        try:
            value = check()
            if value:
                return value
            last = AssertionError(f'{getattr(check, "__name__", "check")} returned {value!r}')
        except (AssertionError, ApiException) as e:
            last = e
        advance(step_ms)
    raise AssertionError(f'still failing after {steps} steps of {step_ms} ms on the cluster clock: {last}')


def unique(prefix):
    return f'{prefix}-{uuid.uuid4().hex[:6]}'


def status_of(exc):
    """The Kubernetes Status an ApiException carries."""
    return json.loads(exc.body)


def lines_of(resp):
    """The lines of a streamed HTTP response (urllib3), as they arrive; ends with the stream."""
    pending = ''
    for chunk in resp.stream(amt=None, decode_content=False):
        pending += chunk.decode('utf8') if isinstance(chunk, bytes) else chunk
        *done, pending = pending.split('\n')
        yield from done
    if pending:
        yield pending


def pod_manifest(name, labels=None, image='nginx:1.27', containers=None):
    return {
        'apiVersion': 'v1',
        'kind': 'Pod',
        'metadata': {'name': name, 'labels': labels or {'app': name}},
        'spec': {'containers': containers or [{'name': 'app', 'image': image}]},
    }


def daemonset_manifest(name, containers=None, tolerate_master=False):
    spec = {'containers': containers or [{'name': 'main', 'image': 'nginx:1.25'}]}
    if tolerate_master:
        spec['tolerations'] = [{'key': 'node-role.kubernetes.io/master', 'operator': 'Exists', 'effect': 'NoSchedule'}]
    return {
        'apiVersion': 'apps/v1',
        'kind': 'DaemonSet',
        'metadata': {'name': name, 'labels': {'app': name}},
        'spec': {
            'selector': {'matchLabels': {'app': name}},
            'template': {'metadata': {'labels': {'app': name}}, 'spec': spec},
        },
    }


def pods_of(namespace, label_selector):
    return client.CoreV1Api().list_namespaced_pod(namespace, label_selector=label_selector).items


def is_ready(pod):
    if pod.metadata.deletion_timestamp or pod.status.phase != 'Running':
        return False
    return any(c.type == 'Ready' and c.status == 'True' for c in pod.status.conditions or [])


def running_pod(namespace, name, **kwargs):
    """Creates a pod and lets the clock run until it is Running and Ready; returns it."""
    core = client.CoreV1Api()
    core.create_namespaced_pod(namespace, pod_manifest(name, **kwargs))

    def running():
        pod = core.read_namespaced_pod(name, namespace)
        return pod if is_ready(pod) else False
    return eventually(running)


class NamespacedTest(unittest.TestCase):
    """A test class with a namespace of its own, created before its tests and deleted after."""
    prefix = 'py'

    @classmethod
    def setUpClass(cls):
        cls.ns = unique(cls.prefix)
        client.CoreV1Api().create_namespace({'metadata': {'name': cls.ns}})

    @classmethod
    def tearDownClass(cls):
        try:
            client.CoreV1Api().delete_namespace(cls.ns)
        except ApiException:
            pass
