/**
 * One suite every kind runs (k8s genericregistrytest): create, get, list, update, conflict,
 * no-op update, merge patch, status subresource, delete, deletecollection, generateName, watch.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

type Obj = Record<string, any>;

export interface ResourceFixture {
  /** URL prefix of the collection, e.g. /api/v1/namespaces/default/pods */
  collection: string;
  /** All-namespaces list URL, for namespaced kinds. */
  allNamespaces?: string;
  kind: string;
  apiVersion: string;
  /** `group` part of error details ("" for core) and the plural. */
  group: string;
  plural: string;
  valid: (name: string) => Obj;
  /** A change to the main resource (returns the changed object). */
  mutate: (obj: Obj) => Obj;
  /** An invalid object and the field the 422 must name. */
  invalid: { object: Obj; field: string };
  tracksGeneration?: boolean;
  /** A status to write through /status, when the kind has one. */
  status?: Obj;
  /** Whether DELETE answers with the object (pods, namespaces) rather than a Status. */
  deleteReturnsObject?: boolean;
  /** Whether a PUT of a missing name creates it (the kind's AllowCreateOnUpdate) rather than answering 404. */
  createOnUpdate?: boolean;
}

function grString(f: ResourceFixture): string {
  return f.group ? `${f.plural}.${f.group}` : f.plural;
}

/** Reads a watch stream until `count` events arrived (or the timeout). */
export async function collectWatch(
  app: TestApp,
  path: string,
  count: number,
  action: () => Promise<void>,
  timeoutMs = 3000,
): Promise<Obj[]> {
  await app.kubemock.fastify.listen({ port: 0, host: '127.0.0.1' }).catch(() => undefined);
  const port = (app.kubemock.fastify.server.address() as AddressInfo).port;
  return new Promise((resolve, reject) => {
    const events: Obj[] = [];
    let buffer = '';
    const req = http.get({ host: '127.0.0.1', port, path }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffer.slice(0, i)));
          buffer = buffer.slice(i + 1);
        }
        if (events.length >= count) {
          clearTimeout(timer);
          req.destroy();
          resolve(events);
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve(events);
      });
      void action().catch(reject);
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve(events);
    }, timeoutMs);
    req.on('error', (e) => (events.length >= count ? undefined : reject(e)));
  });
}

export function describeResource(f: ResourceFixture): void {
  describe(`${f.kind} (${f.collection})`, () => {
    let app: TestApp;
    before(async () => {
      app = await buildTestApp(undefined);
    });
    after(() => app.kubemock.close());

    const create = (obj: Obj) => app.http.post(f.collection).send(obj);

    test('create fills the system metadata and answers 201 with the stored object', async () => {
      const res = await create(f.valid('c1'));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.headers['content-type'], 'application/json');
      const m = res.body.metadata;
      assert.equal(res.body.kind, f.kind);
      assert.equal(res.body.apiVersion, f.apiVersion);
      assert.match(m.uid, /^[0-9a-f-]{36}$/);
      assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(m.resourceVersion, /^\d+$/);
      if (f.tracksGeneration) assert.equal(m.generation, 1);
      else assert.equal(m.generation, undefined);
      const got = await app.http.get(`${f.collection}/c1`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, res.body);
    });

    test('create of an existing name is 409 AlreadyExists', async () => {
      await create(f.valid('dup'));
      const res = await create(f.valid('dup'));
      assert.equal(res.status, 409);
      assert.equal(res.body.reason, 'AlreadyExists');
      assert.equal(res.body.message, `${grString(f)} "dup" already exists`);
      assert.deepEqual(res.body.details, f.group ? { name: 'dup', group: f.group, kind: f.plural } : { name: 'dup', kind: f.plural });
    });

    test('get of a missing name is a 404 Status', async () => {
      const res = await app.http.get(`${f.collection}/missing`);
      assert.equal(res.status, 404);
      assert.equal(res.body.kind, 'Status');
      assert.equal(res.body.reason, 'NotFound');
      assert.equal(res.body.message, `${grString(f)} "missing" not found`);
    });

    test('generateName gives a name with five characters from the upstream alphabet', async () => {
      const obj = f.valid('');
      delete obj.metadata.name;
      obj.metadata.generateName = 'gen-';
      const res = await create(obj);
      assert.equal(res.status, 201);
      assert.match(res.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(res.body.metadata.generateName, 'gen-');
    });

    test('list returns the items and the revision it was read at', async () => {
      await create(f.valid('l1'));
      const res = await app.http.get(f.collection);
      assert.equal(res.status, 200);
      assert.equal(res.body.kind, `${f.kind}List`);
      assert.ok(res.body.items.some((i: Obj) => i.metadata.name === 'l1'));
      assert.match(res.body.metadata.resourceVersion, /^\d+$/);
      const latest = Math.max(...res.body.items.map((i: Obj) => Number(i.metadata.resourceVersion)));
      assert.ok(Number(res.body.metadata.resourceVersion) >= latest);
      if (f.allNamespaces) {
        const all = await app.http.get(f.allNamespaces);
        assert.equal(all.status, 200);
        assert.ok(all.body.items.some((i: Obj) => i.metadata.name === 'l1'));
      }
    });

    test('list filters by label selector', async () => {
      const a = f.valid('sel-a');
      a.metadata.labels = { ...(a.metadata.labels ?? {}), tier: 'front' };
      await create(a);
      await create(f.valid('sel-b'));
      const res = await app.http.get(f.collection).query({ labelSelector: 'tier=front' });
      assert.deepEqual(
        res.body.items.map((i: Obj) => i.metadata.name),
        ['sel-a'],
      );
      const not = await app.http.get(f.collection).query({ labelSelector: 'tier!=front' });
      assert.ok(!not.body.items.some((i: Obj) => i.metadata.name === 'sel-a'));
      const byName = await app.http.get(f.collection).query({ fieldSelector: 'metadata.name=sel-b' });
      assert.deepEqual(
        byName.body.items.map((i: Obj) => i.metadata.name),
        ['sel-b'],
      );
    });

    test('update with a stale resourceVersion is 409 Conflict', async () => {
      const created = (await create(f.valid('u1'))).body;
      const first = await app.http.put(`${f.collection}/u1`).send(f.mutate(structuredClone(created)));
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.ok(Number(first.body.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
      const stale = await app.http.put(`${f.collection}/u1`).send(f.mutate(structuredClone(created)));
      assert.equal(stale.status, 409);
      assert.equal(stale.body.reason, 'Conflict');
      assert.equal(
        stale.body.message,
        `Operation cannot be fulfilled on ${grString(f)} "u1": the object has been modified; please apply your changes to the latest version and try again`,
      );
    });

    test('an update that changes nothing writes nothing', async () => {
      const created = (await create(f.valid('same'))).body;
      const res = await app.http.put(`${f.collection}/same`).send(created);
      assert.equal(res.status, 200);
      assert.equal(res.body.metadata.resourceVersion, created.metadata.resourceVersion);
      const patched = await app.http.patch(`${f.collection}/same`).set('content-type', 'application/merge-patch+json').send('{}');
      assert.equal(patched.body.metadata.resourceVersion, created.metadata.resourceVersion);
    });

    test(f.createOnUpdate ? 'PUT of a missing name creates it (201)' : 'PUT of a missing name is 404', async () => {
      const res = await app.http.put(`${f.collection}/ghost`).send(f.valid('ghost'));
      if (!f.createOnUpdate) return assert.equal(res.status, 404);
      assert.equal(res.status, 201, res.text);
      assert.equal((await app.http.get(`${f.collection}/ghost`)).status, 200);
    });

    test('merge patch changes labels and bumps the resourceVersion', async () => {
      const created = (await create(f.valid('p1'))).body;
      const res = await app.http
        .patch(`${f.collection}/p1`)
        .set('content-type', 'application/merge-patch+json')
        .send(JSON.stringify({ metadata: { labels: { patched: 'yes' } } }));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.metadata.labels.patched, 'yes');
      assert.ok(Number(res.body.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
      if (f.tracksGeneration) assert.equal(res.body.metadata.generation, 1, 'metadata changes keep the generation');
    });

    test('invalid objects are 422 Invalid with causes', async () => {
      const res = await create(f.invalid.object);
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body.reason, 'Invalid');
      assert.equal(res.body.details.kind, f.kind);
      assert.ok(
        res.body.details.causes.some((c: Obj) => c.field === f.invalid.field),
        `expected a cause for ${f.invalid.field}: ${JSON.stringify(res.body.details.causes)}`,
      );
    });

    if (f.tracksGeneration) {
      test('generation moves only when the spec changes', async () => {
        const created = (await create(f.valid('g1'))).body;
        const res = await app.http.put(`${f.collection}/g1`).send(f.mutate(structuredClone(created)));
        assert.equal(res.body.metadata.generation, 2);
      });
    }

    if (f.status) {
      test('/status writes keep the spec and spec writes keep the status', async () => {
        const created = (await create(f.valid('s1'))).body;
        const withStatus = { ...structuredClone(created), status: f.status };
        withStatus.metadata.labels = { ...(withStatus.metadata.labels ?? {}), written: 'yes' };
        const st = await app.http.put(`${f.collection}/s1/status`).send(withStatus);
        assert.equal(st.status, 200, JSON.stringify(st.body));
        for (const [k, v] of Object.entries(f.status!)) assert.deepEqual(st.body.status[k], v);
        // The built-in status strategies copy back the spec only: the writer's labels are stored.
        assert.equal(st.body.metadata.labels?.written, 'yes', 'a status write takes the labels it brings');
        assert.deepEqual(st.body.spec, created.spec);
        if (f.tracksGeneration) assert.equal(st.body.metadata.generation, 1);
        const getStatus = await app.http.get(`${f.collection}/s1/status`);
        assert.deepEqual(getStatus.body, st.body);
        const spec = f.mutate(structuredClone(st.body));
        spec.status = {};
        const up = await app.http.put(`${f.collection}/s1`).send(spec);
        assert.equal(up.status, 200, JSON.stringify(up.body));
        for (const [k, v] of Object.entries(f.status!)) assert.deepEqual(up.body.status[k], v);
      });
    }

    test('delete removes the object; a second delete is 404', async () => {
      const created = (await create(f.valid('d1'))).body;
      const res = await app.http.delete(`${f.collection}/d1`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      if (f.deleteReturnsObject) assert.equal(res.body.metadata.name, 'd1');
      else {
        assert.equal(res.body.kind, 'Status');
        assert.equal(res.body.status, 'Success');
        assert.equal(res.body.details.uid, created.metadata.uid);
      }
      if (f.kind !== 'Namespace') {
        assert.equal((await app.http.get(`${f.collection}/d1`)).status, 404);
        assert.equal((await app.http.delete(`${f.collection}/d1`)).status, 404);
      }
    });

    test('delete with a wrong uid precondition is 409', async () => {
      const created = (await create(f.valid('pre'))).body;
      const res = await app.http.delete(`${f.collection}/pre`).send({ preconditions: { uid: 'nope' } });
      assert.equal(res.status, 409);
      if (f.kind === 'Namespace') {
        // The namespace REST checks them itself, in its own words.
        assert.match(
          res.body.message,
          /^Operation cannot be fulfilled on namespaces "pre": Precondition failed: UID in precondition: nope, UID in object meta: /,
        );
      } else {
        // rest.BeforeDelete: the 409 names the kind.
        const kind = f.group ? `${f.kind}.${f.group}` : f.kind;
        assert.equal(
          res.body.message,
          `Operation cannot be fulfilled on ${kind} "pre": the UID in the precondition (nope) does not match the UID in record (${created.metadata.uid}). The object might have been deleted and then recreated`,
        );
        assert.deepEqual(res.body.details, { name: 'pre', ...(f.group ? { group: f.group } : {}), kind: f.kind });
        const stale = await app.http.delete(`${f.collection}/pre`).send({ preconditions: { resourceVersion: '1' } });
        assert.equal(stale.status, 409);
        assert.equal(
          stale.body.message,
          `Operation cannot be fulfilled on ${kind} "pre": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${created.metadata.resourceVersion}). The object might have been modified`,
        );
      }
    });

    if (f.kind !== 'Namespace') {
      test('deletecollection deletes what the selector selects', async () => {
        for (const n of ['dc-1', 'dc-2']) {
          const o = f.valid(n);
          o.metadata.labels = { ...(o.metadata.labels ?? {}), batch: 'dc' };
          await create(o);
        }
        await create(f.valid('dc-keep'));
        const res = await app.http.delete(f.collection).query({ labelSelector: 'batch=dc' });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.items.map((i: Obj) => i.metadata.name).sort(), ['dc-1', 'dc-2']);
        const left = await app.http.get(f.collection).query({ labelSelector: 'batch=dc' });
        assert.equal(left.body.items.length, 0);
        assert.equal((await app.http.get(`${f.collection}/dc-keep`)).status, 200);
      });

      test('watch from a list revision sees exactly the later changes, in order', async () => {
        const list = await app.http.get(f.collection);
        const rv = list.body.metadata.resourceVersion;
        const events = await collectWatch(app, `${f.collection}?watch=true&resourceVersion=${rv}`, 3, async () => {
          const c = (await create(f.valid('w1'))).body;
          await app.http.put(`${f.collection}/w1`).send(f.mutate(c));
          await app.http.delete(`${f.collection}/w1`);
        });
        assert.deepEqual(
          events.map((e) => [e.type, e.object.metadata.name]),
          [
            ['ADDED', 'w1'],
            ['MODIFIED', 'w1'],
            ['DELETED', 'w1'],
          ],
        );
        const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
        assert.ok(rvs[0] < rvs[1] && rvs[1] < rvs[2]);
      });
    }

    test('YAML in and YAML out', async () => {
      const doc = f.valid('yaml-1');
      const { stringify } = await import('yaml');
      const res = await app.http
        .post(f.collection)
        .set('content-type', 'application/yaml')
        .set('accept', 'application/yaml')
        .send(stringify(doc));
      assert.equal(res.status, 201, res.text);
      assert.match(res.headers['content-type'], /^application\/yaml/);
      assert.match(res.text, /name: yaml-1/);
    });
  });
}
