/**
 * Child process: the write pipeline of Events alone, four of the eight writes of every converged
 * pod (the scheduler's Scheduled; the kubelet's Pulled, Created, Started). Builds kubemock in
 * memory with no controllers, then creates EVENTS core/v1 Events about pods through the store as
 * the simulated kubelet's recorder does (field manager `kubelet`, name `<pod>.<hex nanoseconds>`,
 * the container's reference, client-go's field order): the first round unmeasured (JIT warm-up),
 * then ROUNDS measured rounds over fresh names. Prints one JSON line: per round, wall and CPU
 * microseconds per Event, and the managers recorded in a written Event's managedFields.
 * Usage: node --import tsx bench/lib/event-writes.ts EVENTS ROUNDS
 */
import { loadAppModule } from './app-module.js';

const events = Number(process.argv[2]);
const rounds = Number(process.argv[3] ?? 3);
const { buildApp } = await loadAppModule();
const kubemock = await buildApp({ db: ':memory:', logLevel: 'error', controllers: false });
const store = kubemock.registry.store('events');
const KUBELET = { fieldManager: 'kubelet' };
/** The kubelet's three events of a container started from an image on the node. */
const STARTED = [
  ['Pulled', 'Container image "nginx:1.27" already present on machine'],
  ['Created', 'Created container: c'],
  ['Started', 'Started container c'],
] as const;

let nanos = BigInt(Date.UTC(2026, 11, 7, 12)) * 1_000_000n;
const rfc3339 = (ms: number) => new Date(ms - (ms % 1000)).toISOString().replace('.000Z', 'Z');

function write(round: number, i: number): void {
  const pod = `ds-${round}-${i.toString(36)}`;
  const node = `node-${i}`;
  const now = rfc3339(Date.now());
  const [reason, message] = STARTED[i % STARTED.length];
  store.create(
    {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: `${pod}.${(nanos++).toString(16)}`, namespace: 'default' },
      involvedObject: {
        kind: 'Pod',
        namespace: 'default',
        name: pod,
        uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        apiVersion: 'v1',
        resourceVersion: String(i + 1),
        fieldPath: 'spec.containers{c}',
      },
      reason,
      message,
      source: { component: 'kubelet', host: node },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: 'Normal',
      eventTime: null,
      reportingComponent: 'kubelet',
      reportingInstance: node,
    },
    KUBELET,
  );
}

interface Round {
  usPerEvent: number;
  cpuUsPerEvent: number;
}

function round(r: number): Round {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < events; i++) write(r, i);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { usPerEvent: (1000 * ms) / events, cpuUsPerEvent: (cpu.user + cpu.system) / events };
}

round(0);
const measured: Round[] = [];
for (let r = 1; r <= rounds; r++) measured.push(round(r));
// What a client reads back: the Event recorded as the kubelet's write.
const [sample] = store.list('default', { limit: 1 }).items;
const managers = ((sample?.metadata.managedFields ?? []) as { manager?: string }[]).map((e) => e.manager ?? '');
// Every write stored, or the figure measured something else.
const stored = store.revisions().length;
await kubemock.close();
console.log(JSON.stringify({ rounds: measured, managers, stored }));
