/** The OpenAPI 3 document of the control API, served at /kubemock/v1/openapi.json. */
import { FAULT_STATUS_CODES } from './fault-rules.js';
import { NODE_ACTIONS, POD_ACTIONS } from '../../resources/chaos-actions.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
const failure = ok('A Kubernetes Status describing the failure', ref('Status'));
const jsonBody = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, description: `The ${what} id`, schema: { type: 'string' } });
const str = (description: string) => ({ type: 'string', description });
const int = (description: string) => ({ type: 'integer', description });
const list = (item: string) => ({ type: 'object', properties: { items: { type: 'array', items: ref(item) } } });

const journalParams = ['verb', 'resource', 'namespace', 'name', 'userAgent', 'fieldManager', 'code', 'since'].map((name) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: name === 'code' || name === 'since' ? 'integer' : 'string' },
  description:
    name === 'verb'
      ? 'Kubernetes verbs, comma-separated (create,update,patch…)'
      : name === 'since'
        ? 'Only entries with a larger seq'
        : name === 'userAgent'
          ? 'A substring of the User-Agent'
          : `Exact ${name}`,
}));

export const CONTROL_OPENAPI = {
  openapi: '3.0.3',
  info: {
    title: 'kubemock control API',
    version: 'v1',
    description:
      'Test controls beside the Kubernetes API: fault injection, chaos, request journal, snapshots, clock and nodes. Errors are Kubernetes Status objects.',
  },
  paths: {
    '/kubemock/v1/faults': {
      get: { summary: 'List the active fault rules', responses: { 200: ok('The rules', list('FaultRule')) } },
      post: {
        summary: 'Add a fault rule',
        requestBody: jsonBody(ref('FaultSpec')),
        responses: { 201: ok('The rule as stored', ref('FaultRule')), 400: failure },
      },
      delete: {
        summary: 'Remove every fault rule',
        responses: { 200: ok('How many were removed', { type: 'object', properties: { removed: { type: 'integer' } } }) },
      },
    },
    '/kubemock/v1/faults/{id}': {
      parameters: [idParam('fault rule')],
      get: { summary: 'Read a fault rule', responses: { 200: ok('The rule', ref('FaultRule')), 404: failure } },
      delete: { summary: 'Remove a fault rule', responses: { 200: ok('Removed', { type: 'object' }), 404: failure } },
    },
    '/kubemock/v1/chaos': {
      get: { summary: 'Chaos in effect', responses: { 200: ok('Unreachable nodes and pods under chaos', { type: 'object' }) } },
      post: {
        summary: 'Apply chaos to a node or a pod',
        requestBody: jsonBody(ref('ChaosRequest')),
        responses: { 200: ok('The node or pod after the action', { type: 'object' }), 400: failure, 404: failure, 409: failure },
      },
    },
    '/kubemock/v1/journal': {
      get: {
        summary: 'Query the request journal',
        parameters: journalParams,
        responses: {
          200: ok('Matching entries, oldest first', {
            type: 'object',
            properties: {
              items: { type: 'array', items: ref('JournalEntry') },
              count: { type: 'integer' },
              latestSeq: { type: 'integer' },
              dropped: { type: 'integer' },
            },
          }),
        },
      },
      delete: { summary: 'Clear the journal (seq numbers keep counting)', responses: { 200: ok('Cleared', { type: 'object' }) } },
    },
    '/kubemock/v1/snapshots': {
      get: { summary: 'List snapshots', responses: { 200: ok('Snapshots', list('Snapshot')) } },
      post: { summary: 'Snapshot the whole cluster state', responses: { 201: ok('The snapshot', ref('Snapshot')) } },
    },
    '/kubemock/v1/snapshots/{id}/restore': {
      parameters: [idParam('snapshot')],
      post: {
        summary: 'Restore a snapshot: open watches end with 410 Expired, resourceVersions keep increasing',
        responses: {
          200: ok('Restored', { type: 'object', properties: { id: { type: 'string' }, revision: { type: 'integer' } } }),
          404: failure,
        },
      },
    },
    '/kubemock/v1/snapshots/{id}': {
      parameters: [idParam('snapshot')],
      delete: { summary: 'Drop a snapshot', responses: { 200: ok('Dropped', { type: 'object' }), 404: failure } },
    },
    '/kubemock/v1/clock': { get: { summary: "kubemock's clock", responses: { 200: ok('Clock', ref('Clock')) } } },
    '/kubemock/v1/clock/advance': {
      post: {
        summary: 'Advance a manual clock (--clock=manual); returns once the controllers are idle',
        requestBody: jsonBody({ type: 'object', properties: { ms: { type: 'number' }, seconds: { type: 'number' } } }),
        responses: { 200: ok('Clock', ref('Clock')), 409: failure },
      },
    },
    '/kubemock/v1/nodes': {
      post: {
        summary: 'Add Ready nodes',
        requestBody: jsonBody({
          type: 'object',
          properties: { count: { type: 'integer' }, names: { type: 'array', items: { type: 'string' } } },
        }),
        responses: { 201: ok('Names of the nodes added', { type: 'object' }), 409: failure },
      },
    },
    '/kubemock/v1/settle': {
      post: { summary: 'Wait until the controllers have no work queued or running', responses: { 200: ok('Idle', { type: 'object' }) } },
    },
  },
  components: {
    schemas: {
      FaultSpec: {
        type: 'object',
        description: 'Match fields (all optional; absent or "*" matches anything), what to do, and how often.',
        properties: {
          verb: {
            oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
            description: 'get, list, watch, create, update, patch, delete, deletecollection (a string may list several, comma-separated)',
          },
          resource: str('Plural resource; pods/status for a subresource'),
          group: str('API group ("" for core)'),
          namespace: str('Namespace'),
          name: str('Object name'),
          fieldManager: str('?fieldManager=, else for writes the User-Agent up to its first "/"'),
          userAgent: str('A substring of the User-Agent'),
          action: { type: 'string', enum: ['error', 'latency', 'cut-watch'], description: 'Inferred from status or latencyMs when absent' },
          status: {
            type: 'integer',
            enum: [...FAULT_STATUS_CODES],
            description: 'error: the HTTP code, answered as a Kubernetes Status (410 on a watch: an ERROR event)',
          },
          message: str('error: the Status message'),
          retryAfterSeconds: int('429 and 503: Retry-After (429 defaults to 1)'),
          latencyMs: int('latency: wall-clock delay before the request is handled'),
          afterMs: int('cut-watch: wall-clock time the stream runs before it is cut (watches already open are cut at once)'),
          abrupt: { type: 'boolean', description: 'cut-watch: reset the connection instead of ending the stream' },
          count: int('Fire this many times, then the rule is removed'),
          probability: { type: 'number', minimum: 0, maximum: 1, description: 'Fire on a matching request with this probability' },
          seed: int('Seed for probability, for reproducible runs'),
        },
      },
      FaultRule: { allOf: [ref('FaultSpec'), { type: 'object', properties: { id: { type: 'string' }, fired: { type: 'integer' } } }] },
      ChaosRequest: {
        type: 'object',
        required: ['action'],
        properties: {
          action: { type: 'string', enum: [...NODE_ACTIONS, ...POD_ACTIONS] },
          node: str('node-* actions: the node'),
          namespace: str('pod-* actions: the namespace (default "default")'),
          pod: str('pod-* actions: the pod'),
          containers: { type: 'array', items: { type: 'string' }, description: 'pod-crash: the containers that crash (default all)' },
        },
      },
      JournalEntry: {
        type: 'object',
        properties: {
          seq: { type: 'integer' },
          time: { type: 'string', format: 'date-time' },
          method: { type: 'string' },
          path: { type: 'string' },
          query: { type: 'string' },
          verb: { type: 'string' },
          group: { type: 'string' },
          version: { type: 'string' },
          resource: { type: 'string' },
          namespace: { type: 'string' },
          name: { type: 'string' },
          userAgent: { type: 'string' },
          fieldManager: { type: 'string' },
          code: { type: 'integer' },
          resourceVersion: { type: 'string' },
          durationMs: { type: 'number' },
          faults: { type: 'array', items: { type: 'string' } },
        },
      },
      Snapshot: {
        type: 'object',
        properties: { id: { type: 'string' }, revision: { type: 'integer' }, objects: { type: 'integer' }, takenAt: { type: 'integer' } },
      },
      Clock: {
        type: 'object',
        properties: {
          mode: { type: 'string', enum: ['real', 'manual'] },
          now: { type: 'integer' },
          time: { type: 'string', format: 'date-time' },
        },
      },
      Status: {
        type: 'object',
        description: 'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
        properties: {
          kind: { type: 'string' },
          apiVersion: { type: 'string' },
          status: { type: 'string' },
          message: { type: 'string' },
          reason: { type: 'string' },
          code: { type: 'integer' },
          details: { type: 'object' },
        },
      },
    },
  },
} as const;
