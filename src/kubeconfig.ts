import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

/**
 * The URL clients use to reach a server listening on host:port. A wildcard address is not a place
 * to connect to, so it becomes the loopback address of its family; IPv6 hosts are bracketed (an
 * address with a colon: node's isIPv6 compiles a large regular expression on first use, 13 ms).
 */
export function serverUrl(host: string, port: number, tls = false): string {
  let h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === '0.0.0.0' || h === '') h = '127.0.0.1';
  else if (h === '::' || h === '::0') h = '::1';
  return `${tls ? 'https' : 'http'}://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

export interface KubeconfigOptions {
  /**
   * Adds `insecure-skip-tls-verify: true` to the cluster: meaningless over http, and harmless to
   * kubectl, but @kubernetes/client-node refuses an http server without it.
   */
  insecureSkipTlsVerify?: boolean;
  /** PEM bundle the server's certificate is verified with (`certificate-authority-data`). */
  certificateAuthority?: string;
  /** The user's credentials: a client certificate and key (PEM), or a bearer token. */
  credentials?: { clientCertificate: string; clientKey: string } | { token: string };
}

const base64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');

/**
 * Strings the YAML package writes as they are (plain scalars) and reads back as the same strings:
 * a letter first, no spaces, no character YAML gives a meaning to, no colon last, not a word YAML
 * reads as a boolean or null. Names, URLs, base64 data and JWTs are.
 */
const PLAIN = /^[A-Za-z][A-Za-z0-9._/:[\]+=-]*$/;
const YAML_WORDS = /^(?:true|false|null|yes|no|on|off|y|n)$/i;
const plain = (value: string) => PLAIN.test(value) && !value.endsWith(':') && !YAML_WORDS.test(value);

/** A map of plain strings (or `true`) at `indent`, one `key: value` a line; `{}` on the key's line when empty. */
function plainMap(key: string, entries: Record<string, unknown>, indent: string): string | undefined {
  const lines = Object.entries(entries).map(([k, v]) =>
    v === true || (typeof v === 'string' && plain(v)) ? `${indent}  ${k}: ${String(v)}\n` : undefined,
  );
  if (lines.includes(undefined)) return undefined;
  return lines.length ? `${indent}${key}:\n${lines.join('')}` : `${indent}${key}: {}\n`;
}

/**
 * The kubeconfig as the YAML package writes it, written directly when every string in it is plain
 * (the package's first stringify was about 3 ms of a fresh process's first start); undefined otherwise.
 */
function kubeconfigText(name: string, cluster: Record<string, unknown>, user: Record<string, string>): string | undefined {
  if (!plain(name)) return undefined;
  const clusterMap = plainMap('cluster', cluster, '    ');
  const userMap = plainMap('user', user, '    ');
  if (clusterMap === undefined || userMap === undefined) return undefined;
  return (
    `apiVersion: v1\nkind: Config\nclusters:\n  - name: ${name}\n${clusterMap}` +
    `contexts:\n  - name: ${name}\n    context:\n      cluster: ${name}\n      user: ${name}\n      namespace: default\n` +
    `current-context: ${name}\npreferences: {}\nusers:\n  - name: ${name}\n${userMap}`
  );
}

/** A kubeconfig whose cluster, context and user are all named `name`; without credentials the user is anonymous. */
export function kubeconfigYaml(url: string, name = 'kubemock', opts: KubeconfigOptions = {}): string {
  const cluster: Record<string, unknown> = { server: url };
  if (opts.certificateAuthority) cluster['certificate-authority-data'] = base64(opts.certificateAuthority);
  if (opts.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  const user: Record<string, string> = {};
  const creds = opts.credentials;
  if (creds && 'token' in creds) user.token = creds.token;
  else if (creds)
    Object.assign(user, { 'client-certificate-data': base64(creds.clientCertificate), 'client-key-data': base64(creds.clientKey) });
  return (
    kubeconfigText(name, cluster, user) ??
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster }],
      contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
      'current-context': name,
      preferences: {},
      users: [{ name, user }],
    })
  );
}

/**
 * Writes the kubeconfig (creating its folder, mode 0600) by a rename, so a reader never sees half a
 * file. The file calls are synchronous (a file of a kilobyte): a start that writes it right after
 * listening gives no turn to the controllers' first syncs before the banner (or startKubemock's
 * answer), which then run while the client starts. Answers the YAML written.
 */
export async function writeKubeconfig(path: string, url: string, opts: KubeconfigOptions = {}, name = 'kubemock'): Promise<string> {
  const yaml = kubeconfigYaml(url, name, opts);
  writeKubeconfigFile(path, yaml);
  return yaml;
}

/** Writes a kubeconfig already made (kubeconfigYaml) as writeKubeconfig does. */
export function writeKubeconfigFile(path: string, yaml: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, yaml, { mode: 0o600 });
  renameSync(tmp, path);
}
