/** Node's test runner started from a test, for tests of how `npm test` runs and reports. */
import { spawn } from 'node:child_process';

export interface RunnerResult {
  code: number | null;
  /** Its stdout, then stderr, as they came. */
  output: string;
}

/** Runs `node …args` (the runner's flags and files) as a top-level test runner; resolves with its exit code and output. */
export function runTestRunner(args: string[], cwd?: string): Promise<RunnerResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The caller runs inside a test file's process; the runner started here must be a top-level one.
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
