/** ValidatePodStatusUpdate's rules besides the addresses: conditions, nominated node, QoS, state transitions, users. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorString } from '../../src/apimachinery/field-errors.js';
import type { KubeObject } from '../../src/apimachinery/object.js';
import { defaultPod } from '../../src/resources/pods/defaults.js';
import { validatePodStatusUpdate } from '../../src/resources/pods/validation-status.js';

type Json = Record<string, any>;

function makePod(spec: Json = {}, status: Json = {}): KubeObject & Json {
  const p: Json = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
    status: { phase: 'Running', qosClass: 'BestEffort', ...status },
  };
  defaultPod(p as KubeObject);
  return p as KubeObject & Json;
}

/** The errors of a status write from `oldStatus` to `newStatus` on a pod with `spec`. */
function write(spec: Json, oldStatus: Json, newStatus: Json): string[] {
  const old = makePod(spec, oldStatus);
  const next = structuredClone(old);
  next.status = { ...old.status, ...newStatus };
  return validatePodStatusUpdate(next, old).map(errorString);
}

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const terminated = (exitCode: number) => ({ terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed' } });
const running = { running: { startedAt: '2025-01-01T00:00:00Z' } };
const statusOf = (name: string, state: Json) => ({ name, image: 'nginx', imageID: '', ready: false, restartCount: 0, state });

describe('validatePodStatusUpdate', () => {
  it('checks custom condition types at metadata.conditions (sic), not the system ones', () => {
    assert.deepEqual(
      write(
        {},
        {},
        {
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'example.com/LB', status: 'True' },
          ],
        },
      ),
      [],
    );
    assert.deepEqual(
      write(
        {},
        {},
        {
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'lb ready', status: 'True' },
          ],
        },
      ),
      [`metadata.conditions[1].Type: Invalid value: "lb ready": ${NAME_PART_MSG}`],
    );
  });

  it('checks a new nominatedNodeName', () => {
    assert.deepEqual(write({}, {}, { nominatedNodeName: 'node-1' }), []);
    assert.deepEqual(write({}, {}, { nominatedNodeName: 'Node_1' }), [
      `status.nominatedNodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });

  it('keeps the QoS class', () => {
    assert.deepEqual(write({}, {}, { qosClass: 'BestEffort' }), []);
    assert.deepEqual(write({}, {}, { qosClass: 'Guaranteed' }), ['status.qosClass: Invalid value: "Guaranteed": field is immutable']);
  });

  describe('a terminated container may not run again (ValidateContainerStateTransition)', () => {
    const from = (exitCode: number) => ({ containerStatuses: [statusOf('c', terminated(exitCode))] });
    const toRunning = { containerStatuses: [statusOf('c', running)] };
    const forbidden = 'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state';
    it('with restartPolicy Always it may', () => assert.deepEqual(write({}, from(0), toRunning), []));
    it('with Never it may not', () => assert.deepEqual(write({ restartPolicy: 'Never' }, from(1), toRunning), [forbidden]));
    it('with OnFailure only after a failure', () => {
      assert.deepEqual(write({ restartPolicy: 'OnFailure' }, from(1), toRunning), []);
      assert.deepEqual(write({ restartPolicy: 'OnFailure' }, from(0), toRunning), [forbidden]);
    });
    it('staying terminated is fine', () => assert.deepEqual(write({ restartPolicy: 'Never' }, from(0), from(0)), []));
    it('sidecars may restart, other init containers may not', () => {
      const spec = {
        restartPolicy: 'Never',
        initContainers: [
          { name: 'side', image: 'x', restartPolicy: 'Always' },
          { name: 'init', image: 'x' },
        ],
      };
      const old = { initContainerStatuses: [statusOf('side', terminated(0)), statusOf('init', terminated(0))] };
      assert.deepEqual(write(spec, old, { initContainerStatuses: [statusOf('side', running), statusOf('init', terminated(0))] }), []);
      assert.deepEqual(write(spec, old, { initContainerStatuses: [statusOf('side', terminated(0)), statusOf('init', running)] }), [
        'status.initContainerStatuses[1].state: Forbidden: may not be transitioned to non-terminated state',
      ]);
    });
    it('ephemeral containers never restart', () => {
      const old = { ephemeralContainerStatuses: [statusOf('debug', terminated(1))] };
      assert.deepEqual(write({}, old, { ephemeralContainerStatuses: [statusOf('debug', running)] }), [
        'status.ephemeralContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
      ]);
    });
  });

  it('checks the reported container users (path without `user`, as upstream)', () => {
    const withUser = (linux: Json) => ({ containerStatuses: [{ ...statusOf('c', running), user: { linux } }] });
    assert.deepEqual(write({}, {}, withUser({ uid: 1000, gid: 1000, supplementalGroups: [4] })), []);
    assert.deepEqual(write({}, {}, withUser({ uid: -1, gid: 0, supplementalGroups: [1, -4] })), [
      'status.containerStatuses[0].linux.uid: Invalid value: -1: must be between 0 and 2147483647, inclusive',
      'status.containerStatuses[0].linux.supplementalGroups[1]: Invalid value: -4: must be between 0 and 2147483647, inclusive',
    ]);
    assert.deepEqual(write({ os: { name: 'windows' } }, {}, withUser({ uid: 0, gid: 0 })), [
      'status.containerStatuses[0].linux: Forbidden: cannot be set for a windows pod',
    ]);
  });
});
