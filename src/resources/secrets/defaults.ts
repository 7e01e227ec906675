/**
 * What v1 → internal conversion and SetDefaults_Secret do to a written Secret: stringData folds into
 * data (its values' UTF-8 bytes, over any data value of the same key) and is dropped; type defaults to Opaque.
 */
import type { Secret } from './schema.js';

export function defaultSecret(secret: Secret): void {
  if (secret.stringData) {
    const data = { ...secret.data };
    for (const [key, value] of Object.entries(secret.stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
    secret.data = data;
    delete secret.stringData;
  }
  if (!secret.type) secret.type = 'Opaque';
}
