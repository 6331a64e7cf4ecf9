/**
 * zod with the `.openapi()` extension, so the schemas that validate requests also generate the
 * OpenAPI document. HTTP schema files import `z` from here, never from 'zod' directly, so the
 * extension is always installed before a schema is built.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
