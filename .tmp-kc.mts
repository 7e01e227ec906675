import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startKubemock } from './src/index.ts';
const c = await startKubemock();
const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', c.kubeconfigPath!, 'get', 'nodes'], { encoding: 'utf8' });
console.log(stdout);
await c.stop();
