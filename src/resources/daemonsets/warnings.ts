/**
 * The warnings of a DaemonSet write (pkg/registry/apps/daemonset: WarningsOnCreate and
 * WarningsOnUpdate): its pod template's, at spec.template; an update warns only when the template
 * changed (its template generation moved), so a write that leaves the template as it was is quiet.
 */
import { path } from '../../apimachinery/field-errors.js';
import type { Stored } from '../../apimachinery/object.js';
import type { DaemonSet } from '../schemas.js';
import { podTemplateWarnings } from '../pods/warnings.js';
import { templateGenerationOf } from './template-generation.js';

const templatePath = path('spec', 'template');

export function daemonSetWarnings(ds: Stored<DaemonSet>, old: Stored<DaemonSet> | undefined): string[] {
  if (old && templateGenerationOf(ds) === templateGenerationOf(old)) return [];
  return podTemplateWarnings(ds.spec?.template, templatePath);
}
