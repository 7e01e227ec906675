/** `kubectl get ingressclasses`: NAME CONTROLLER PARAMETERS AGE (parameters as `Kind[.apiGroup]/name`, `<none>` without). */
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { IngressClass } from './schema.js';

function parameters(ic: IngressClass): string {
  const p = ic.spec?.parameters;
  if (!p) return '<none>';
  return `${p.kind ?? ''}${p.apiGroup != null ? `.${p.apiGroup}` : ''}/${p.name ?? ''}`;
}

export const table: TableConvertor<Stored<IngressClass>> = {
  columns: [
    nameColumn(),
    column('Controller', 'Controller that is responsible for handling this class'),
    column('Parameters', 'A reference to a resource with additional parameters'),
    AGE_COLUMN,
  ],
  cells: (ic, now) => [ic.metadata.name, ic.spec?.controller ?? '', parameters(ic), since(ic.metadata.creationTimestamp, now)],
};
