// Starts etcd-worker.ts from source (tests and `npm run dev` run under tsx; a worker thread does not
// inherit the --import hooks of its parent). A build has etcd-worker.js and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./etcd-worker.ts');
