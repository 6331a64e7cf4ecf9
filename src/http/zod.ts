/**
 * zod with the `.openapi()` extension, so the schemas that validate requests also generate the
 * OpenAPI document. HTTP schema files import `z` from here, never from 'zod' directly, so the
 * extension is always installed before a schema is built.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };

/** A county named in a request: its 6-digit administrative code (adcode), e.g. Qin County's 140430. */
export const countyCode = (description: string) => z.string().regex(/^\d{6}$/, 'a 6-digit county code').openapi({ description, example: '140430' });
