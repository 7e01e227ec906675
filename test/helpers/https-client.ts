/**
 * Plain HTTPS requests with the credentials a kubeconfig holds (its CA, a client certificate, a
 * bearer token), read from the kubeconfig YAML itself, so a test sees what any client would.
 */
import { request } from 'node:https';
import { parse } from 'yaml';

export interface Credentials {
  /** The CA bundle (PEM) the server is verified with. */
  ca: string;
  cert?: string;
  key?: string;
  token?: string;
}

interface KubeconfigDoc {
  clusters: { cluster: { server: string; 'certificate-authority-data'?: string } }[];
  users: { user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string } }[];
}

const pem = (b64: string | undefined) => (b64 === undefined ? undefined : Buffer.from(b64, 'base64').toString('utf8'));

/** The server URL and credentials of a one-cluster, one-user kubeconfig. */
export function credentialsOf(kubeconfig: string): { server: string; credentials: Credentials } {
  const doc = parse(kubeconfig) as KubeconfigDoc;
  const { cluster } = doc.clusters[0];
  const { user } = doc.users[0];
  return {
    server: cluster.server,
    credentials: {
      ca: pem(cluster['certificate-authority-data']) ?? '',
      cert: pem(user['client-certificate-data']),
      key: pem(user['client-key-data']),
      token: user.token,
    },
  };
}

export interface HttpsAnswer {
  status: number;
  body: string;
  json(): unknown;
}

export function httpsRequest(url: string, creds: Credentials, method = 'GET', body?: unknown): Promise<HttpsAnswer> {
  const headers: Record<string, string> = {};
  if (creds.token !== undefined) headers.authorization = `Bearer ${creds.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: creds.ca, cert: creds.cert, key: creds.key, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** POSTs a SelfSubjectReview (what `kubectl auth whoami` does) and returns its status.userInfo, or the error answer. */
export async function whoami(
  server: string,
  creds: Credentials,
): Promise<{ status: number; userInfo?: Record<string, unknown>; body: string }> {
  const res = await httpsRequest(`${server}/apis/authentication.k8s.io/v1/selfsubjectreviews`, creds, 'POST', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
  });
  if (res.status !== 201) return { status: res.status, body: res.body };
  return {
    status: res.status,
    body: res.body,
    userInfo: (res.json() as { status: { userInfo: Record<string, unknown> } }).status.userInfo,
  };
}
