/**
 * A measurement run in a child process of its own (a fresh heap and JIT per measurement): the
 * script runs through tsx with BENCH_TARGET set, its stderr shows, and its last stdout line is its
 * result as JSON. A child that hangs is killed after `limitMs`; one that prints no result rejects.
 */
import { spawn } from 'node:child_process';

export function runJsonChild<T>(name: string, script: string, args: readonly string[], target: string, limitMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, BENCH_TARGET: target },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as T);
      } catch {
        reject(new Error(`${name} child gave no result: ${out.slice(0, 200)}`));
      }
    });
  });
}
