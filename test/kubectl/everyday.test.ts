/**
 * The everyday kubectl commands that the other e2e files do not already cover: version,
 * api-resources, api-versions, cluster-info, get with selectors, sorting, paging and every -o
 * format (on Services, which also back cluster-info), create -f of several documents, label and
 * annotate over a selector and with --overwrite, delete --dry-run=server / -l / --wait, and
 * `auth can-i` (whose 1.32+ protobuf body must not be refused). A smoke subset runs on every
 * versioned kubectl.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { versionInfo } from '../../src/http/discovery/version.js';
import { apiVersionOf } from '../../src/registry/resource-definition.js';
import { resources } from '../../src/resources/index.js';
import { servedDefinitions } from '../../src/registry/served-versions.js';
import { ServiceSpecSchema } from '../../src/resources/core-schemas/service.js';
import { findKubectlVersions, kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

const NS = 'everyday';
/** web-1 … web-5: web-1..3 tier=backend, web-4..5 tier=frontend; ports fall as the number rises. */
const WEB = [1, 2, 3, 4, 5].map((i) => ({ name: `web-${i}`, tier: i <= 3 ? 'backend' : 'frontend', port: 8140 - 10 * i }));

function service(name: string, labels: Record<string, string>, port: number, namespace?: string): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    `  labels: {${Object.entries(labels)
      .map(([k, v]) => `${k}: "${v}"`)
      .join(', ')}}`,
    'spec:',
    `  selector: {app: ${name}}`,
    `  ports: [{name: http, port: ${port}}]`,
    '',
  ].join('\n');
}

const MANIFEST = [
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NS}}\n`,
  ...WEB.map((w) => service(w.name, { tier: w.tier }, w.port, NS)),
].join('---\n');

/** Older kubectl colours cluster-info even without a terminal. */
// eslint-disable-next-line no-control-regex -- ESC is what the ANSI colour codes start with
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Rows of a table, header dropped, each split on runs of spaces. */
function rows(table: string): string[][] {
  return table
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((row) => row.trim().split(/\s+/));
}

const names = (table: string) => rows(table).map((r) => r[0]);

/** The `kubectl api-resources` row a definition must produce (SHORTNAMES may be empty). */
function apiResourceRow(def: (typeof resources)[number]): RegExp {
  const short = def.shortNames?.length ? `${def.shortNames.join(',')}\\s+` : '';
  return new RegExp(`^${def.plural}\\s+${short}${apiVersionOf(def).replace(/\./g, '\\.')}\\s+${def.namespaced}\\s+${def.kind}$`, 'm');
}

/** Go's (and kubectl's) flattening of wrapped text: compare descriptions whitespace-insensitively. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('everyday kubectl commands', () => {
  const server = useServer({ nodes: 2 });

  it('version prints the client and the server version; -o json carries the server build info', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['version']);
    assert.match(stdout, /^Client Version: v\d+\.\d+\.\d+/m);
    assert.match(stdout, new RegExp(`^Server Version: ${versionInfo().gitVersion.replace(/\./g, '\\.')}$`, 'm'));
    const json = JSON.parse((await kubectlOk(server, ['version', '-o', 'json'])).stdout) as { serverVersion: Record<string, string> };
    assert.equal(json.serverVersion.gitVersion, versionInfo().gitVersion);
    assert.equal(json.serverVersion.major, versionInfo().major);
    assert.equal(json.serverVersion.platform, versionInfo().platform);
  });

  it('api-versions lists every served group-version, sorted', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['api-versions']);
    const expected = [...new Set(servedDefinitions(resources).map(apiVersionOf))].sort();
    assert.deepEqual(stdout.trimEnd().split('\n'), expected);
    for (const gv of ['v1', 'apps/v1', 'coordination.k8s.io/v1', 'authorization.k8s.io/v1', 'events.k8s.io/v1'])
      assert.ok(expected.includes(gv), gv);
  });

  it('api-resources prints NAME SHORTNAMES APIVERSION NAMESPACED KIND for every kind; the reviews are create-only', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['api-resources']);
    assert.match(stdout, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\n/);
    for (const def of servedDefinitions(resources)) assert.match(stdout, apiResourceRow(def), stdout);
    assert.match(stdout, /^services\s+svc\s+v1\s+true\s+Service$/m);
    assert.match(stdout, /^selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview$/m);
    assert.match(stdout, /^events\s+ev\s+events\.k8s\.io\/v1\s+true\s+Event$/m);
    assert.equal(rows(stdout).length, servedDefinitions(resources).length, 'one row per served kind, no subresources');

    const listable = (await kubectlOk(server, ['api-resources', '--verbs=list', '-o', 'name'])).stdout.trimEnd().split('\n');
    assert.ok(listable.includes('services'), listable.join(' '));
    assert.ok(listable.includes('daemonsets.apps'), listable.join(' '));
    assert.ok(!listable.some((n) => n.startsWith('selfsubject')), `reviews cannot be listed: ${listable.join(' ')}`);
    const cluster = (await kubectlOk(server, ['api-resources', '--namespaced=false', '-o', 'name'])).stdout.trimEnd().split('\n');
    assert.ok(cluster.includes('nodes') && cluster.includes('namespaces') && !cluster.includes('pods'), cluster.join(' '));
  });

  it('cluster-info names the control plane and CoreDNS (the kube-dns Service)', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['cluster-info']);
    const lines = stripAnsi(stdout).split('\n');
    assert.equal(lines[0], `Kubernetes control plane is running at ${server.url}`);
    assert.equal(lines[1], `CoreDNS is running at ${server.url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy`);
    assert.match(stdout, /kubectl cluster-info dump/);
  });

  it('create -f of a namespace and five Services prints one line per object', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout, stderr } = await kubectlOk(server, ['create', '-f', '-'], { input: MANIFEST });
    assert.equal(stdout, [`namespace/${NS} created`, ...WEB.map((w) => `service/${w.name} created`), ''].join('\n'));
    assert.equal(stderr, '');
    const again = await runKubectl(server, ['create', '-f', '-'], { input: service('web-1', { tier: 'backend' }, 80, NS) });
    assert.equal(again.code, 1);
    assert.equal(again.stderr.trim(), 'Error from server (AlreadyExists): error when creating "STDIN": services "web-1" already exists');
  });

  describe('get', () => {
    it('get svc: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, the kubernetes Service in default', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const { stdout } = await kubectlOk(server, ['get', 'svc']);
      assert.match(stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\n/);
      assert.match(stdout, /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\d+[smhd]\S*$/m);
      const web = await kubectlOk(server, ['get', 'svc', '-n', NS]);
      assert.deepEqual(
        names(web.stdout),
        WEB.map((w) => w.name),
      );
      for (const row of rows(web.stdout)) {
        assert.equal(row[1], 'ClusterIP');
        assert.match(row[2], /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/, 'a cluster IP from 10.96.0.0/12');
      }
      assert.deepEqual(
        rows(web.stdout).map((r) => r[4]),
        WEB.map((w) => `${w.port}/TCP`),
      );
    });

    it('-o wide adds SELECTOR; -A adds NAMESPACE and shows kube-dns', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const wide = await kubectlOk(server, ['get', 'svc', '-n', NS, '-o', 'wide']);
      assert.match(wide.stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\n/);
      assert.deepEqual(
        rows(wide.stdout).map((r) => r[6]),
        WEB.map((w) => `app=${w.name}`),
      );
      const all = await kubectlOk(server, ['get', 'svc', '-A']);
      assert.match(all.stdout, /^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP/);
      assert.match(all.stdout, /^kube-system\s+kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s/m);
      assert.match(all.stdout, /^default\s+kubernetes\s+/m);
      assert.equal(rows(all.stdout).filter((r) => r[0] === NS).length, WEB.length);
    });

    it('-l and --field-selector filter on the server', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const frontend = await kubectlOk(server, ['get', 'svc', '-n', NS, '-l', 'tier=frontend']);
      assert.deepEqual(names(frontend.stdout), ['web-4', 'web-5']);
      const notBackend = await kubectlOk(server, ['get', 'svc', '-n', NS, '-l', 'tier!=backend,tier']);
      assert.deepEqual(names(notBackend.stdout), ['web-4', 'web-5']);
      const setBased = await kubectlOk(server, ['get', 'svc', '-n', NS, '-l', 'tier in (backend)']);
      assert.deepEqual(names(setBased.stdout), ['web-1', 'web-2', 'web-3']);
      const one = await kubectlOk(server, ['get', 'svc', '-n', NS, '--field-selector', 'metadata.name=web-2']);
      assert.deepEqual(names(one.stdout), ['web-2']);
      const others = await kubectlOk(server, ['get', 'svc', '-A', '--field-selector', `metadata.namespace!=${NS}`, '-o', 'name']);
      assert.deepEqual(others.stdout.trimEnd().split('\n').sort(), ['service/kube-dns', 'service/kubernetes']);
      const none = await kubectlOk(server, ['get', 'svc', '-n', NS, '-l', 'tier=nope']);
      assert.equal(none.stdout, '');
      assert.equal(none.stderr.trim(), `No resources found in ${NS} namespace.`);
      const badField = await runKubectl(server, ['get', 'svc', '-n', NS, '--field-selector', 'spec.bogus=1']);
      assert.equal(badField.code, 1);
      assert.match(badField.stderr, /field label not supported: spec\.bogus/);
    });

    it('--show-labels adds LABELS; --sort-by orders by a field outside metadata', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const labelled = await kubectlOk(server, ['get', 'svc', '-n', NS, '--show-labels']);
      assert.match(labelled.stdout, /\sLABELS\n/);
      assert.deepEqual(
        rows(labelled.stdout).map((r) => r.at(-1)),
        WEB.map((w) => `tier=${w.tier}`),
      );
      const sorted = await kubectlOk(server, ['get', 'svc', '-n', NS, '--sort-by=.spec.ports[0].port']);
      assert.deepEqual(names(sorted.stdout), WEB.map((w) => w.name).reverse());
      const byName = await kubectlOk(server, ['get', 'svc', '-n', NS, '--sort-by=.metadata.name', '-o', 'name']);
      assert.deepEqual(
        byName.stdout.trimEnd().split('\n'),
        WEB.map((w) => `service/${w.name}`),
      );
    });

    it('--chunk-size=2 pages through five objects with limit and continue, and prints them all under one header', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const paged = await kubectlOk(server, ['get', 'svc', '-n', NS, '--chunk-size=2', '-v=6']);
      assert.deepEqual(
        names(paged.stdout),
        WEB.map((w) => w.name),
      );
      assert.equal(paged.stdout.split('\n').filter((l) => l.startsWith('NAME')).length, 1, paged.stdout);
      const requests = paged.stderr.split('\n').filter((l) => l.includes(`/namespaces/${NS}/services?`));
      assert.equal(requests.filter((l) => /[?&]limit=2\b/.test(l)).length, 3, requests.join('\n'));
      assert.equal(requests.filter((l) => /[?&]continue=/.test(l)).length, 2, requests.join('\n'));
      const json = JSON.parse((await kubectlOk(server, ['get', 'svc', '-n', NS, '--chunk-size=2', '-o', 'json'])).stdout) as {
        items: unknown[];
      };
      assert.equal(json.items.length, WEB.length);
    });

    it('-o yaml | json | name | jsonpath', async (t) => {
      if (!kubectlOrSkip(t)) return;
      const list = parse((await kubectlOk(server, ['get', 'svc', '-n', NS, '-o', 'yaml'])).stdout) as {
        kind: string;
        apiVersion: string;
        items: { kind: string; metadata: { name: string } }[];
      };
      assert.equal(list.kind, 'List');
      assert.equal(list.apiVersion, 'v1');
      assert.deepEqual(
        list.items.map((i) => [i.kind, i.metadata.name]),
        WEB.map((w) => ['Service', w.name]),
      );

      const one = JSON.parse((await kubectlOk(server, ['get', 'svc', 'web-1', '-n', NS, '-o', 'json'])).stdout) as Record<string, any>;
      assert.equal(one.kind, 'Service');
      assert.equal(one.apiVersion, 'v1');
      assert.deepEqual(one.spec.ports, [{ name: 'http', port: WEB[0].port, protocol: 'TCP', targetPort: WEB[0].port }]);
      assert.equal(one.spec.type, 'ClusterIP');
      assert.equal(one.spec.sessionAffinity, 'None');
      assert.deepEqual(one.spec.clusterIPs, [one.spec.clusterIP]);
      assert.ok(one.metadata.uid && one.metadata.resourceVersion && one.metadata.creationTimestamp);

      const name = await kubectlOk(server, ['get', 'svc', '-n', NS, '-o', 'name']);
      assert.equal(name.stdout, WEB.map((w) => `service/${w.name}\n`).join(''));
      const jsonpath = await kubectlOk(server, [
        'get',
        'svc',
        '-n',
        NS,
        '-o',
        'jsonpath={range .items[*]}{.metadata.name}={.spec.ports[0].port}{"\\n"}{end}',
      ]);
      assert.equal(jsonpath.stdout, WEB.map((w) => `${w.name}=${w.port}\n`).join(''));
      const ip = await kubectlOk(server, ['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']);
      assert.equal(ip.stdout, '10.96.0.1');
    });
  });

  it('label over a selector, --overwrite; annotate --overwrite and removal', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const many = await kubectlOk(server, ['label', 'svc', '-n', NS, '-l', 'tier=frontend', 'team=web']);
    assert.equal(many.stdout, 'service/web-4 labeled\nservice/web-5 labeled\n');
    assert.deepEqual(names((await kubectlOk(server, ['get', 'svc', '-n', NS, '-l', 'team=web'])).stdout), ['web-4', 'web-5']);

    const refused = await runKubectl(server, ['label', 'svc', 'web-1', '-n', NS, 'tier=edge']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim(), "error: 'tier' already has a value (backend), and --overwrite is false");
    assert.equal(
      (await kubectlOk(server, ['label', 'svc', 'web-1', '-n', NS, 'tier=edge', '--overwrite'])).stdout,
      'service/web-1 labeled\n',
    );
    assert.deepEqual(names((await kubectlOk(server, ['get', 'svc', '-n', NS, '-l', 'tier=edge'])).stdout), ['web-1']);
    await kubectlOk(server, ['label', 'svc', 'web-1', '-n', NS, 'tier=backend', '--overwrite']);

    const annotation = async () =>
      (await kubectlOk(server, ['get', 'svc', 'web-2', '-n', NS, '-o', 'jsonpath={.metadata.annotations.owner}'])).stdout;
    assert.equal((await kubectlOk(server, ['annotate', 'svc', 'web-2', '-n', NS, 'owner=alice'])).stdout, 'service/web-2 annotated\n');
    assert.equal(await annotation(), 'alice');
    const notOverwritten = await runKubectl(server, ['annotate', 'svc', 'web-2', '-n', NS, 'owner=bob']);
    assert.equal(notOverwritten.code, 1);
    assert.match(notOverwritten.stderr, /--overwrite is false/);
    await kubectlOk(server, ['annotate', 'svc', 'web-2', '-n', NS, 'owner=bob', '--overwrite']);
    assert.equal(await annotation(), 'bob');
    await kubectlOk(server, ['annotate', 'svc', 'web-2', '-n', NS, 'owner-']);
    assert.equal(await annotation(), '');
  });

  it('delete --dry-run=server keeps the object; delete -l and delete NAME --wait remove them', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const dry = await kubectlOk(server, ['delete', 'svc', 'web-5', '-n', NS, '--dry-run=server']);
    assert.equal(dry.stdout, 'service "web-5" deleted (server dry run)\n');
    await kubectlOk(server, ['get', 'svc', 'web-5', '-n', NS]);

    const bySelector = await kubectlOk(server, ['delete', 'svc', '-n', NS, '-l', 'tier=frontend', '--wait']);
    assert.equal(bySelector.stdout, 'service "web-4" deleted\nservice "web-5" deleted\n');
    const one = await kubectlOk(server, ['delete', 'svc', 'web-3', '-n', NS, '--wait=true']);
    assert.equal(one.stdout, 'service "web-3" deleted\n');
    const gone = await runKubectl(server, ['get', 'svc', 'web-3', '-n', NS]);
    assert.equal(gone.code, 1);
    assert.equal(gone.stderr.trim(), 'Error from server (NotFound): services "web-3" not found');
    assert.deepEqual(names((await kubectlOk(server, ['get', 'svc', '-n', NS])).stdout), ['web-1', 'web-2']);
    const missing = await runKubectl(server, ['delete', 'svc', 'web-3', '-n', NS]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): services "web-3" not found');
  });

  it('auth can-i answers yes for anything; --list grants every rule', async (t) => {
    if (!kubectlOrSkip(t)) return;
    assert.equal((await kubectlOk(server, ['auth', 'can-i', 'create', 'pods'])).stdout, 'yes\n');
    assert.equal((await kubectlOk(server, ['auth', 'can-i', 'delete', 'daemonsets', '-n', 'kube-system'])).stdout, 'yes\n');
    assert.equal((await kubectlOk(server, ['auth', 'can-i', 'get', '/healthz'])).stdout, 'yes\n');
    const list = await kubectlOk(server, ['auth', 'can-i', '--list']);
    const lines = list.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    assert.match(list.stdout, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    assert.match(list.stdout, /^\s+\[\*\]\s+\[\]\s+\[\*\]$/m);
  });

  it('explain service.spec.ports describes the Service schema', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['explain', 'service.spec.ports']);
    assert.match(stdout, /^FIELD: ports <\[\]ServicePort>$/m);
    assert.match(stdout, /^\s+port\t<integer> -required-$/m);
    assert.match(stdout, /^\s+targetPort\t<IntOrString>$/m);
    const ports = (ServiceSpecSchema.properties.ports as { description: string }).description;
    assert.ok(flat(stdout).includes(flat(ports)), stdout);
  });

  describe('every versioned kubectl: version, api-resources, get, create, explain, auth can-i', () => {
    const versions = findKubectlVersions();
    if (versions.length === 0) {
      it('finds kubectl.1.NN binaries beside kubectl', (t) => {
        if (!kubectlOrSkip(t)) return;
        t.skip('no kubectl.1.NN beside the kubectl on PATH');
      });
    }
    for (const { version, path } of versions) {
      it(`kubectl ${version}`, async () => {
        // Its own cache, so that each version runs discovery and fetches the OpenAPI itself.
        const own = { kubeconfigPath: server.kubeconfigPath, cacheDir: join(dirname(server.cacheDir), `cache-everyday-${version}`) };
        const run = (args: string[], input?: string) => kubectlOk(own, args, { bin: path, input });

        const v = await run(['version']);
        // 1.27 prints version.Info{…} structs, 1.28+ the short form.
        assert.match(v.stdout, /^Server Version: (?:v|version\.Info\{.*GitVersion:"v)\d+\.\d+\.\d+/m);

        const apiResources = await run(['api-resources']);
        for (const def of servedDefinitions(resources))
          assert.match(apiResources.stdout, apiResourceRow(def), `${version}:\n${apiResources.stdout}`);

        const svc = await run(['get', 'svc', '-A']);
        assert.match(svc.stdout, /^default\s+kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s/m);
        assert.match(stripAnsi((await run(['cluster-info'])).stdout), /^CoreDNS is running at /m);

        const name = `smoke-${version.replace('.', '-')}`;
        const created = await run(['create', '-f', '-'], service(name, { smoke: 'yes' }, 80));
        assert.equal(created.stdout, `service/${name} created\n`);
        assert.equal(created.stderr, '');
        const got = await run(['get', 'svc', name, '-o', 'jsonpath={.spec.type} {.spec.ports[0].protocol}']);
        assert.equal(got.stdout, 'ClusterIP TCP');

        const explained = await run(['explain', 'service.spec.ports']);
        assert.match(explained.stdout, /^\s+port\t<integer> -required-$/m);

        // 1.32+ send these reviews as protobuf.
        assert.equal((await run(['auth', 'can-i', 'create', 'pods'])).stdout, 'yes\n');
        assert.match((await run(['auth', 'can-i', '--list'])).stdout, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);

        await run(['delete', 'svc', name, '--wait']);
      });
    }
  });
});
