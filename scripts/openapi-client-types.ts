/**
 * The TypeScript types of the API, generated from the OpenAPI document with openapi-typescript
 * (default options, as an integrator would run it). The typed-client test
 * (test/integration/openapi/client.test.ts) generates them from the served document on every run
 * and type-checks its calls against them; `npm run openapi:types` refreshes the committed copy
 * (test/integration/openapi/client/gongpei-api.ts) that editors and `npm run typecheck` use.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

export const CLIENT_TYPES_FILE = fileURLToPath(new URL('../test/integration/openapi/client/gongpei-api.ts', import.meta.url));

const HEADER = '// Generated from /openapi.json by openapi-typescript (npm run openapi:types). Do not edit.\n';

export async function clientTypes(document: object): Promise<string> {
  return HEADER + astToString(await openapiTS(document as OpenAPI3, { silent: true }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { buildOpenApiDocument } = await import('../src/openapi.ts');
  writeFileSync(CLIENT_TYPES_FILE, await clientTypes(buildOpenApiDocument()));
  console.log(`wrote ${CLIENT_TYPES_FILE}`);
}
