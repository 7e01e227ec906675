import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageMatches } from '../../src/kubelet/container-ids.js';

test('an image matches a glob whose * stands for any run of characters, and only that glob', () => {
  assert.equal(imageMatches('nginx:non-existent', '*:non-existent'), true);
  assert.equal(imageMatches('nginx:1.27', '*:non-existent'), false);
  assert.equal(imageMatches('nginx:1.27', ''), false, 'no pattern: nothing fails');
  // The pattern the kubelet was given last is remembered; another one is not confused with it.
  assert.equal(imageMatches('registry.example.com/app:v1', 'registry.example.com/*'), true);
  assert.equal(imageMatches('registryXexample.com/app:v1', 'registry.example.com/*'), false, 'a dot is a dot');
  assert.equal(imageMatches('nginx:non-existent', '*:non-existent'), true);
  assert.equal(imageMatches('a+b(c)', 'a+b(*)'), true, 'other regular expression characters are literal');
  assert.equal(imageMatches('aab(c)', 'a+b(*)'), false);
});
