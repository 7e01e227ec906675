/**
 * The Table of a custom resource (apiextensions-apiserver's tableconvertor): NAME, then the
 * version's additionalPrinterColumns (an AGE column when it has none), each cell the value its
 * JSONPath selects (null when none; dates as an age; several values joined by commas).
 */
import { column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import { jsonPathValues } from '../../apimachinery/json-path.js';
import type { CustomResourceColumnDefinition } from '../customresourcedefinitions/schema.js';

const DEFAULT_COLUMNS: CustomResourceColumnDefinition[] = [
  {
    name: 'Age',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description:
      'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  },
];

function cell(values: unknown[], type: string, now: number): unknown {
  if (!values.length) return null;
  if (values.length > 1) return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  const v = values[0];
  if (type === 'date' && typeof v === 'string') return since(v, now);
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return v;
}

export function customResourceTable(printerColumns: CustomResourceColumnDefinition[] | undefined): TableConvertor {
  const cols = printerColumns?.length ? printerColumns : DEFAULT_COLUMNS;
  return {
    columns: [
      nameColumn(),
      ...cols.map((c) => column(c.name, c.description ?? '', { type: c.type, format: c.format ?? '', priority: c.priority ?? 0 })),
    ],
    cells: (obj, now) => [obj.metadata.name, ...cols.map((c) => cell(jsonPathValues(obj, c.jsonPath), c.type, now))],
  };
}
