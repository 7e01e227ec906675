import { startKubemock } from './src/index.ts';
let t = performance.now();
const c = await startKubemock();
console.log('first start', performance.now() - t);
const r = await fetch(`${c.url}/api/v1/namespaces`); console.log(r.status, (await r.json()).items.length);
console.log(await (await fetch(`${c.url}/kubemock/v1/journal`)).json());
await c.stop();
for (let i = 0; i < 5; i++) {
  t = performance.now();
  const d = await startKubemock({ kubeconfig: false });
  const mid = performance.now();
  await (await fetch(`${d.url}/api/v1/namespaces`)).text();
  console.log('start', (mid - t).toFixed(1), 'first req', (performance.now() - mid).toFixed(1));
  await d.stop();
}
