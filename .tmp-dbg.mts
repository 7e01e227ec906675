import { startKubemock } from './src/index.ts';
const c = await startKubemock({ clock: 'manual', nodes: 1, simulation: { podStartupMs: 1000 } });
await c.settle();
await fetch(`${c.url}/api/v1/namespaces/default/pods`, { method: 'POST', body: JSON.stringify({ metadata: { name: 'c' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } }), headers: { 'content-type': 'application/json' } });
await c.advanceClock(1000);
console.log(c.pods()[0].status.phase);
try { c.chaos({ action: 'pod-crash', pod: 'c' }); } catch (e) { console.log(e); }
await c.stop();
