/** What the simulated runtime reports for images: qualified names and digests, the same for the same image however often asked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageID, qualifiedImage } from '../../src/kubelet/container-ids.js';

test('an image is qualified as containerd reports it, and its ID keeps a given digest', () => {
  assert.equal(qualifiedImage('nginx'), 'docker.io/library/nginx:latest');
  assert.equal(qualifiedImage('nginx:1.27'), 'docker.io/library/nginx:1.27');
  assert.equal(qualifiedImage('registry.example:5000/team/app:v2'), 'registry.example:5000/team/app:v2');
  const digest = `sha256:${'a'.repeat(64)}`;
  assert.equal(qualifiedImage(`busybox@${digest}`), `docker.io/library/busybox@${digest}`);
  assert.equal(imageID(`busybox@${digest}`), `docker.io/library/busybox@${digest}`);
  assert.match(imageID('nginx:1.27'), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.notEqual(imageID('nginx:1.27'), imageID('nginx:1.26'), 'another tag, another digest');
});

test('answers stay right past the images remembered (the table starts afresh)', () => {
  const first = imageID('nginx:1.27');
  for (let i = 0; i < 5000; i++) assert.equal(qualifiedImage(`team/app:v${i}`), `docker.io/team/app:v${i}`);
  for (let i = 0; i < 5000; i++) imageID(`team/app:v${i}`);
  assert.equal(imageID('nginx:1.27'), first);
  assert.equal(qualifiedImage('nginx:1.27'), 'docker.io/library/nginx:1.27');
});
