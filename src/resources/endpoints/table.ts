/** `kubectl get endpoints` columns: NAME ENDPOINTS AGE; at most three ready ip:port pairs, then "+ N more...". */
import { AGE_COLUMN, column, nameColumn, since, type TableConvertor } from '../../apimachinery/table.js';
import type { Stored } from '../../apimachinery/object.js';
import type { Endpoints } from './schema.js';

const MAX_SHOWN = 3;

/** An address and port as Go's net.JoinHostPort writes them (IPv6 in brackets). */
const hostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** The ready addresses with each port (a subset without ports, a headless Service's, lists bare IPs). */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (!subsets.length) return '<none>';
  const shown: string[] = [];
  let count = 0;
  let more = false;
  const add = (text: string) => {
    if (shown.length === MAX_SHOWN) more = true;
    else shown.push(text);
  };
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (!ports.length) {
      count += addresses.length;
      for (const a of addresses) add(a.ip);
      continue;
    }
    for (const p of ports) {
      count += addresses.length;
      for (const a of addresses) add(hostPort(a.ip, p.port));
    }
  }
  const text = shown.join(',');
  return more ? `${text} + ${count - MAX_SHOWN} more...` : text;
}

export const table: TableConvertor<Stored<Endpoints>> = {
  columns: [nameColumn(), column('Endpoints', 'The ready addresses of the Service, with their ports.'), AGE_COLUMN],
  cells: (ep, now) => [ep.metadata.name, formatEndpoints(ep), since(ep.metadata.creationTimestamp, now)],
};
