/** `kubectl get pdb`: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE (N/A for an unset bound). */
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { PodDisruptionBudget } from './schema.js';

const bound = (v: number | string | undefined): string => (v === undefined || v === null ? 'N/A' : String(v));

export const table: TableConvertor<Stored<PodDisruptionBudget>> = {
  columns: [
    nameColumn(),
    column('Min Available', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
    AGE_COLUMN,
  ],
  cells: (pdb, now) => [
    pdb.metadata.name,
    bound(pdb.spec?.minAvailable),
    bound(pdb.spec?.maxUnavailable),
    pdb.status?.disruptionsAllowed ?? 0,
    since(pdb.metadata.creationTimestamp, now),
  ],
};
