/** `kubectl get endpointslices` columns: NAME ADDRESSTYPE PORTS ENDPOINTS AGE; lists of three, then "+ N more...", empty ones "<unset>". */
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { EndpointSlice } from './schema.js';

const MAX_SHOWN = 3;

function listWithMore(items: string[]): string {
  if (items.length > MAX_SHOWN) return `${items.slice(0, MAX_SHOWN).join(',')} + ${items.length - MAX_SHOWN} more...`;
  return items.length ? items.join(',') : '<unset>';
}

/** Each port's number, else its name, else "*" (all ports). */
export const formatPorts = (slice: EndpointSlice) =>
  listWithMore((slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*'))));

/** Every address of every endpoint, ready or not. */
export const formatSliceEndpoints = (slice: EndpointSlice) => listWithMore((slice.endpoints ?? []).flatMap((ep) => ep.addresses ?? []));

export const table: TableConvertor<Stored<EndpointSlice>> = {
  columns: [
    nameColumn(),
    column('AddressType', 'The type of the addresses in the slice: IPv4, IPv6 or FQDN.'),
    column('Ports', 'The ports every endpoint of the slice exposes.'),
    column('Endpoints', 'The addresses of the endpoints in the slice.'),
    AGE_COLUMN,
  ],
  cells: (s, now) => [s.metadata.name, s.addressType, formatPorts(s), formatSliceEndpoints(s), since(s.metadata.creationTimestamp, now)],
};
