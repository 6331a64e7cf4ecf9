/**
 * A zod schema has two views: its input (what a client may send: a field with a default may be
 * left out) and its output (what the server sends: every such field present). zod-to-openapi 9
 * has no input/output modes: it writes one view, with `default` on those fields, and client
 * generators read `default` as "always present" (openapi-typescript makes the field required),
 * so a generated client refused the minimal bodies the server accepts.
 *
 * So the document is put in input mode on the request side: a schema a request body reaches
 * states its defaults in words ("Default: `false`.") instead of the `default` keyword, and stays
 * optional. A schema with defaults that both a request and a response reach has no single right
 * view: that is a build error asking for an input schema and an output schema.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

const COMPONENT_REF = /^#\/components\/schemas\/(.+)$/;

/** Component schema names reachable from `node` (through other components too). */
function reachableComponents(node: unknown, components: Record<string, Json>, into = new Set<string>()): Set<string> {
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(visit);
      return;
    }
    if (!isObject(n)) return;
    const ref = typeof n.$ref === 'string' ? COMPONENT_REF.exec(n.$ref)?.[1] : undefined;
    if (ref !== undefined) {
      if (!into.has(ref)) {
        into.add(ref);
        visit(components[ref]);
      }
      return;
    }
    Object.values(n).forEach(visit);
  };
  visit(node);
  return into;
}

/** Every subschema of `schema` that has a `default`, not following references. */
function withDefaults(schema: unknown, found: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(schema)) schema.forEach((s) => withDefaults(s, found));
  else if (isObject(schema)) {
    if ('default' in schema && !('$ref' in schema)) found.push(schema);
    for (const [k, v] of Object.entries(schema)) if (k !== 'default' && k !== 'example' && k !== 'examples') withDefaults(v, found);
  }
  return found;
}

function toWords(schema: JsonObject): void {
  const text = `Default: \`${JSON.stringify(schema.default)}\`.`;
  delete schema.default;
  const said = typeof schema.description === 'string' ? schema.description.trim() : '';
  schema.description = said === '' ? text : `${said}${/[.!?]$/.test(said) ? '' : '.'} ${text}`;
}

/** The document with its request side in input mode (see above). Changes `doc` in place. */
export function requestSideInInputMode<D extends object>(doc: D): D {
  const d = doc as unknown as { paths?: Record<string, Record<string, Json>>; components?: { schemas?: Record<string, Json> } };
  const components = d.components?.schemas ?? {};
  const requestBodies: Json[] = [];
  const responses: Json[] = [];
  for (const item of Object.values(d.paths ?? {})) {
    for (const op of Object.values(item)) {
      if (!isObject(op)) continue;
      if (op.requestBody !== undefined) requestBodies.push(op.requestBody);
      if (op.responses !== undefined) responses.push(op.responses);
    }
  }
  const requestSide = reachableComponents(requestBodies, components);
  const responseSide = reachableComponents(responses, components);
  for (const name of requestSide) {
    const defaults = withDefaults(components[name]);
    if (defaults.length === 0) continue;
    if (responseSide.has(name)) {
      throw new Error(`OpenAPI: schema ${name} has defaults and is used by both a request and a response; register an input schema and an output schema`);
    }
    defaults.forEach(toWords);
  }
  // Schemas written inline in a request body (not components) are on the request side only.
  for (const body of requestBodies) withDefaults(body).forEach(toWords);
  return doc;
}
