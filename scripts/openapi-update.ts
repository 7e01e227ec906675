/**
 * Regenerates the committed OpenAPI documents (openapi/v2.json, openapi/v3/*.json) from the resource
 * schemas, removing v3 files that no longer correspond to a served group-version.
 * Run with `npm run openapi:update`; test/api/openapi.test.ts fails when they are out of date.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocuments, openApiFiles } from '../src/http/openapi/documents.js';
import { resources } from '../src/resources/index.js';
import { servedDefinitions } from '../src/registry/served-versions.js';

const OPENAPI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'openapi');

const files = openApiFiles(buildOpenApiDocuments(servedDefinitions(resources)));
await mkdir(join(OPENAPI_DIR, 'v3'), { recursive: true });
for (const name of await readdir(join(OPENAPI_DIR, 'v3'))) {
  if (name.endsWith('.json') && !files.has(`v3/${name}`)) {
    await rm(join(OPENAPI_DIR, 'v3', name));
    console.log(`removed openapi/v3/${name}`);
  }
}
for (const [name, text] of files) {
  await writeFile(join(OPENAPI_DIR, name), text);
  console.log(`wrote openapi/${name} (${text.length} bytes)`);
}
