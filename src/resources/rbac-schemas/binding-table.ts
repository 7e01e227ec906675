/** `kubectl get rolebindings` / `clusterrolebindings`: NAME ROLE AGE, and wide USERS GROUPS SERVICEACCOUNTS. */
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { RoleBinding } from './kinds.js';

export function bindingTable(kind: 'roleBinding' | 'clusterRoleBinding'): TableConvertor<Stored<RoleBinding>> {
  return {
    columns: [
      nameColumn(),
      column('Role', 'The role granted, as Kind/name.'),
      AGE_COLUMN,
      column('Users', `Users in the ${kind}`, { priority: 1 }),
      column('Groups', `Groups in the ${kind}`, { priority: 1 }),
      column('ServiceAccounts', `ServiceAccounts in the ${kind}`, { priority: 1 }),
    ],
    cells: (b, now) => {
      const of = (k: string) => (b.subjects ?? []).filter((s) => s.kind === k);
      const names = (k: string) => of(k).map((s) => s.name);
      return [
        b.metadata.name,
        `${b.roleRef.kind}/${b.roleRef.name}`,
        since(b.metadata.creationTimestamp, now),
        names('User').join(', '),
        names('Group').join(', '),
        of('ServiceAccount')
          .map((s) => `${s.namespace ?? ''}/${s.name}`)
          .join(', '),
      ];
    },
  };
}
