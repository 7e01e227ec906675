/**
 * No Docker engine runs where the tests run, so the container set-up is checked by reading it:
 * docker-compose.yml must build this repo's Dockerfile and agree with it on port, volume and command.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CONFIG_FLAGS, loadConfig } from '../../src/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, comments dropped and continuation lines joined. */
function parseDockerfile(text: string): Instruction[] {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return logical
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** Splits the instructions at each FROM. */
function stages(instructions: Instruction[]): { from: string; name?: string; body: Instruction[] }[] {
  const result: { from: string; name?: string; body: Instruction[] }[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      assert.ok(m, `cannot read FROM ${ins.args}`);
      result.push({ from: m[1], ...(m[2] ? { name: m[2] } : {}), body: [] });
    } else {
      assert.ok(result.length > 0 || ins.keyword === 'ARG', `${ins.keyword} before the first FROM`);
      result.at(-1)?.body.push(ins);
    }
  }
  return result;
}

/** The exec (JSON array) form; the shell form would make node miss SIGTERM behind /bin/sh. */
function execForm(ins: Instruction | undefined): string[] {
  if (!ins) return [];
  const parsed: unknown = JSON.parse(ins.args);
  assert.ok(Array.isArray(parsed) && parsed.every((s) => typeof s === 'string'), `${ins.keyword} must be a JSON array of strings`);
  return parsed;
}

/** Container port of a compose `ports` entry, short ("[ip:]host:container[/proto]") or long syntax. */
function containerPort(entry: unknown): { published?: string; target: number } {
  if (typeof entry === 'object' && entry !== null) {
    const { target, published } = entry as { target: number | string; published?: number | string };
    return { target: Number(target), ...(published !== undefined ? { published: String(published) } : {}) };
  }
  const parts = String(entry)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  const target = Number(parts.at(-1));
  return parts.length > 1 ? { published: parts.at(-2)!, target } : { target };
}

const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const dockerStages = stages(dockerfile);
const finalStage = dockerStages.at(-1)!;
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      profiles?: string[];
      command?: string[];
      build?: string | { context?: string; dockerfile?: string };
      ports?: unknown[];
      volumes?: unknown[];
      environment?: Record<string, string> | string[];
      healthcheck?: { test?: string | string[] };
    }
  >;
  volumes?: Record<string, unknown>;
};
/** What `docker compose up` starts: the services in no profile. */
const defaultServices = Object.entries(compose.services ?? {}).filter(([, s]) => !s.profiles?.length);
const [serviceName, service] = defaultServices[0] ?? [];

const command = [
  ...execForm(finalStage.body.findLast((i) => i.keyword === 'ENTRYPOINT')),
  ...execForm(finalStage.body.findLast((i) => i.keyword === 'CMD')),
];
const exposed = finalStage.body
  .filter((i) => i.keyword === 'EXPOSE')
  .flatMap((i) => i.args.split(/\s+/))
  .map((p) => Number(p.replace(/\/tcp$/, '')));
// What kubemock makes of the container's command line, with no KUBEMOCK_* variables...
const imageConfig = loadConfig(command.slice(2), {});

describe('Dockerfile', () => {
  it('is a multi-stage build on node:20 images', () => {
    assert.ok(dockerStages.length >= 2, 'expected a build stage and a runtime stage');
    for (const s of dockerStages) assert.match(s.from, /^node:20(?:[.-]|$)/, `FROM ${s.from}`);
    const build = dockerStages[0];
    assert.ok(build.name, 'the build stage needs a name for COPY --from');
    assert.ok(
      finalStage.body.some((i) => i.keyword === 'COPY' && i.args.includes(`--from=${build.name}`)),
      'the runtime stage copies from the build stage',
    );
  });

  it('installs with npm ci and builds in the build stage', () => {
    const runs = dockerStages[0].body.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    const ci = runs.findIndex((r) => /\bnpm ci\b/.test(r));
    const build = runs.findIndex((r) => /\bnpm run build\b/.test(r));
    assert.ok(ci >= 0, `no RUN npm ci in ${JSON.stringify(runs)}`);
    assert.ok(build >= ci, 'npm run build runs after npm ci');
  });

  it('runs node dist/main.js on every interface with the database on /data', () => {
    assert.deepEqual(command.slice(0, 2), ['node', 'dist/main.js']);
    const flag = (name: string) => command[command.indexOf(name) + 1];
    assert.equal(flag('--host'), '0.0.0.0');
    assert.equal(flag('--db'), '/data/kubemock.db');
    assert.equal(imageConfig.host, '0.0.0.0');
    assert.equal(imageConfig.db, '/data/kubemock.db');
  });

  it('exposes the port the command listens on', () => {
    assert.deepEqual(exposed, [imageConfig.port]);
  });

  it('writes its kubeconfig on the data volume, where the unprivileged user may write', () => {
    assert.equal(posix.dirname(imageConfig.kubeconfig), posix.dirname(imageConfig.db));
    assert.ok(
      finalStage.body.some((i) => i.keyword === 'USER' && i.args !== 'root'),
      'runs as a non-root USER',
    );
  });
});

describe('docker-compose.yml', () => {
  it('has one service outside profiles, built from this repo with its Dockerfile', () => {
    assert.equal(defaultServices.length, 1, 'one service');
    assert.ok(service, 'a service');
    const build = typeof service.build === 'string' ? { context: service.build } : service.build;
    assert.equal(build?.context, '.', `${serviceName}.build.context`);
    const file = build?.dockerfile ?? 'Dockerfile';
    assert.equal(file, 'Dockerfile');
    assert.ok(existsSync(join(root, file)), `${file} exists`);
  });

  it('publishes the exposed port', () => {
    const ports = (service?.ports ?? []).map(containerPort);
    const published = ports.find((p) => p.target === imageConfig.port);
    assert.ok(published, `no ports entry targets ${imageConfig.port}: ${JSON.stringify(service?.ports)}`);
    assert.ok(published.published, 'the port is published on the host');
    assert.deepEqual(exposed, [published.target]);
  });

  it('keeps the database on a named volume', () => {
    const dataDir = posix.dirname(imageConfig.db);
    const mounts = (service?.volumes ?? []).map((v) =>
      typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : (v as { source?: string; target?: string }),
    );
    const data = mounts.find((m) => m.target === dataDir);
    assert.ok(data?.source, `nothing is mounted on ${dataDir}`);
    assert.ok(!/^[./~]/.test(data.source), `${data.source} is a bind mount, not a named volume`);
    assert.ok(compose.volumes && data.source in compose.volumes, `volume ${data.source} is declared under top-level volumes`);
  });

  it('health-checks /readyz on the container port, with a program the image has', () => {
    const test = service?.healthcheck?.test;
    assert.ok(Array.isArray(test), 'healthcheck.test in exec form');
    assert.equal(test[0], 'CMD');
    assert.equal(test[1], 'node', 'the slim node image has no curl or wget');
    assert.match(test.join(' '), new RegExp(`http://(127\\.0\\.0\\.1|localhost):${imageConfig.port}/readyz\\b`));
  });

  it('sets only environment variables kubemock knows, to values it accepts', () => {
    const env = service?.environment ?? {};
    const vars: Record<string, string> = Array.isArray(env)
      ? Object.fromEntries(env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
      : Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
    const known = new Set<string>(CONFIG_FLAGS.map((f) => f.env));
    for (const name of Object.keys(vars)) assert.ok(known.has(name), `unknown variable ${name}`);
    const config = loadConfig(command.slice(2), vars);
    // Flags in CMD win over variables: compose must not try to move what the Dockerfile fixed.
    assert.equal(config.port, imageConfig.port);
    assert.equal(config.db, imageConfig.db);
  });
});

describe('docker-compose.yml, profile etcd', () => {
  const inProfile = Object.entries(compose.services ?? {}).filter(([, s]) => s.profiles?.includes('etcd'));
  const members = inProfile.filter(([, s]) => s.command?.[0] === 'etcd');
  const replicas = inProfile.filter(([, s]) => s.command?.[1] === 'dist/main.js');
  /** `--name=value` or `--name value` of a command line. */
  const flagOf = (cmd: string[], name: string) => {
    const i = cmd.findIndex((a) => a === name || a.startsWith(`${name}=`));
    if (i < 0) return undefined;
    return cmd[i] === name ? cmd[i + 1] : cmd[i].slice(name.length + 1);
  };

  it('has three etcd members in one initial cluster, each with its own named volume', () => {
    assert.equal(members.length, 3, 'three etcd members');
    const peers = members.map(([, s]) => `${flagOf(s.command!, '--name')}=${flagOf(s.command!, '--initial-advertise-peer-urls')}`);
    for (const [name, s] of members) {
      assert.equal(flagOf(s.command!, '--name'), name, `${name} names itself as its service`);
      assert.deepEqual(flagOf(s.command!, '--initial-cluster')?.split(',').sort(), peers.sort(), `${name} knows every peer`);
      const dataDir = flagOf(s.command!, '--data-dir');
      const volume = (s.volumes ?? []).map(String).find((v) => v.endsWith(`:${dataDir}`));
      assert.ok(volume && compose.volumes && volume.split(':')[0] in compose.volumes, `${name} keeps ${dataDir} on a declared volume`);
    }
  });

  it('has two kubemock replicas on every member, each on its own published port and volume', () => {
    assert.equal(replicas.length, 2, 'two replicas');
    const clientUrls = members.map(([, s]) => flagOf(s.command!, '--advertise-client-urls')).sort();
    const ports = new Set<number>();
    const volumes = new Set<string>();
    for (const [name, s] of replicas) {
      const config = loadConfig(s.command!.slice(2), {});
      assert.equal(config.host, '0.0.0.0');
      assert.deepEqual(flagOf(s.command!, '--etcd-servers')?.split(',').sort(), clientUrls, `${name} names every member`);
      const published = (s.ports ?? []).map(containerPort).find((p) => p.target === config.port);
      assert.ok(published?.published, `${name} publishes its port ${config.port}`);
      // The kubeconfig a replica writes names its own port, so it must be published as the same number.
      assert.equal(published.published, String(config.port), `${name} publishes ${config.port} as ${config.port}`);
      ports.add(config.port);
      const data = (s.volumes ?? []).map(String).find((v) => v.endsWith(`:${posix.dirname(config.kubeconfig)}`));
      assert.ok(data, `${name} writes its kubeconfig on a volume`);
      volumes.add(data.split(':')[0]);
      assert.match([s.healthcheck?.test ?? []].flat().join(' '), new RegExp(`http://127\\.0\\.0\\.1:${config.port}/readyz\\b`));
    }
    assert.equal(ports.size, 2, 'distinct ports');
    assert.equal(volumes.size, 2, 'a volume each: each writes its own kubeconfig');
  });
});
