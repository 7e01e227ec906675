import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deprecationWarning } from '../../src/resources/custom/deprecation.js';
import type { CustomResourceDefinition } from '../../src/resources/customresourcedefinitions/schema.js';
import { widgetCrd, type WidgetVersionFlags } from '../helpers/widget-crd.js';

const crd = (versions: WidgetVersionFlags[]): CustomResourceDefinition => widgetCrd({ versions });

const warningOf = (c: CustomResourceDefinition, name: string) =>
  deprecationWarning(
    c,
    c.spec.versions.find((v) => v.name === name)!,
  );

describe('deprecationWarning of a custom resource version', () => {
  it('is none for a version that is not deprecated', () => {
    assert.equal(warningOf(crd([{ name: 'v1' }]), 'v1'), undefined);
  });

  it("is the CRD's own text when it gives one", () => {
    assert.equal(
      warningOf(crd([{ name: 'v1' }, { name: 'v1beta1', deprecated: true, deprecationWarning: 'go away' }]), 'v1beta1'),
      'go away',
    );
  });

  it('names the highest-priority served, non-deprecated version above it', () => {
    const c = crd([
      { name: 'v1alpha1', deprecated: true },
      { name: 'v1beta1', deprecated: true },
      { name: 'v1beta2' },
      { name: 'v1' },
      { name: 'v2', served: false },
      { name: 'v2beta1', deprecated: true },
    ]);
    assert.equal(warningOf(c, 'v1alpha1'), 'example.com/v1alpha1 Widget is deprecated; use example.com/v1 Widget');
    assert.equal(warningOf(c, 'v1beta1'), 'example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget');
  });

  it('says only that it is deprecated when no served, non-deprecated version ranks above it', () => {
    const c = crd([{ name: 'v1', deprecated: true }, { name: 'v1beta1' }, { name: 'v2', served: false }, { name: 'v3', deprecated: true }]);
    assert.equal(warningOf(c, 'v1'), 'example.com/v1 Widget is deprecated');
    assert.equal(warningOf(c, 'v3'), 'example.com/v3 Widget is deprecated');
  });
});
