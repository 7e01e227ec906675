// A test reporter `npm test` adds beside TAP: it prints nothing while the run goes and, at its end, every
// failed test again (file, suites, name, where it is, its error), so the last lines of a long run's output
// — all a CI log may keep — say what failed and why. It prints when the run's own plan arrives, the last
// report before the counts: with --test-force-exit the runner exits once its counts are out, and a reporter
// waiting for the end of its input would print nothing.
import path from 'node:path';

interface FailEvent {
  name: string;
  nesting: number;
  file?: string;
  line?: number;
  column?: number;
  details: { error?: FailureError };
}

interface FailureError {
  failureType?: string;
  message?: string;
  cause?: unknown;
}

interface Failure {
  path: string[];
  outermost: number;
  where: string;
  error: string;
}

interface ReporterEvent {
  type: string;
  data: unknown;
}

const errorLines = 12;
// Past this many failures (a run that broke wholesale) the rest are listed a line each.
const detailedFailures = 10;

function describeError(error: FailureError | undefined): string {
  const cause = error?.cause;
  if (cause instanceof Error) return cause.stack ?? `${cause.name}: ${cause.message}`;
  if (cause !== undefined) return String(cause);
  return error?.message ?? 'failed';
}

function where(event: FailEvent): string {
  const file = event.file === undefined ? '(unknown file)' : path.relative(process.cwd(), event.file);
  return event.line === undefined ? file : `${file}:${event.line}:${event.column ?? 0}`;
}

/** A stack frame of Node's own (the test runner's) or of native code (`new Promise`): noise in a failure's story. */
const nodeFrame = /^\s+at (?:(?:.*\()?node:|.*\(<anonymous>\)$)/;

function indent(text: string): string {
  return text
    .split('\n')
    .filter((line) => !nodeFrame.test(line))
    .slice(0, errorLines)
    .map((line) => `#     ${line}`)
    .join('\n');
}

export default async function* failureSummary(source: AsyncIterable<ReporterEvent>): AsyncGenerator<string> {
  const failures: Failure[] = [];
  // Failures arrive innermost first: a suite whose subtests failed reports after them, and its name
  // becomes the next prefix of those of its subtests' failures that still lack one.
  const open = new Map<string, Failure[]>();
  let printed = false;
  for await (const event of source) {
    if (event.type === 'test:plan' && isRunPlan(event.data)) {
      printed = true;
      yield summary(failures);
    }
    if (event.type !== 'test:fail') continue;
    const fail = event.data as FailEvent;
    const key = fail.file ?? '';
    const pending = open.get(key) ?? [];
    if (fail.details.error?.failureType === 'subtestsFailed') {
      for (const failure of pending) {
        if (failure.outermost === fail.nesting + 1) {
          failure.path.unshift(fail.name);
          failure.outermost = fail.nesting;
        }
      }
    } else {
      const failure = { path: [fail.name], outermost: fail.nesting, where: where(fail), error: describeError(fail.details.error) };
      failures.push(failure);
      pending.push(failure);
    }
    if (fail.nesting === 0) open.delete(key);
    else open.set(key, pending);
  }
  if (!printed) yield summary(failures);
}

function isRunPlan(data: unknown): boolean {
  const plan = data as { nesting?: number; file?: string };
  return plan.nesting === 0 && plan.file === undefined;
}

function summary(failures: Failure[]): string {
  if (failures.length === 0) return '';
  const lines = [`# failing tests (${failures.length}):`];
  failures.forEach((failure, index) => {
    lines.push(`# ✖ ${failure.path.join(' › ')}`, `#     at ${failure.where}`);
    if (index < detailedFailures) lines.push(indent(failure.error));
  });
  return `${lines.join('\n')}\n`;
}
