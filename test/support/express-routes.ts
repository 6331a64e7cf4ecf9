/**
 * What an Express 5 app serves, read from its router stack (router 2.x): every route with its
 * methods and its handler chain, and every mount (`app.use('/path', ...)`) that is not a
 * router (static files, Swagger UI, the queue board). Paths are in OpenAPI form (`{id}`).
 */
import type { Express, RequestHandler } from 'express';

export interface ServedRoute {
  /** Lower case, as in an OpenAPI path item: get, post, put, delete, ... */
  readonly method: string;
  /** OpenAPI form: `/v1/plans/{id}`. */
  readonly path: string;
  /** The route's handlers, in order (the guard, role check, media type check, body parser, handler). */
  readonly handlers: readonly RequestHandler[];
}

interface Layer {
  readonly rawPath?: string | readonly string[];
  readonly handle: RequestHandler & { stack?: readonly Layer[] };
  readonly route?: { readonly path: string | readonly string[]; readonly stack: readonly { readonly method?: string; readonly handle: RequestHandler }[] };
}

/** `/v1/plans/:id/routes` → `/v1/plans/{id}/routes`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_$][\w$]*)/g, '{$1}');
}

function join(prefix: string, path: string): string {
  return prefix === '' || prefix === '/' ? path : `${prefix}${path === '/' ? '' : path}`;
}

/**
 * `everywhere`: the middleware mounted on every path (`app.use(fn)` at '/') before the routes,
 * which every route's request passes through (helmet, the request log, the oversize check, ...).
 */
export function servedRoutes(app: Express): { routes: ServedRoute[]; mounts: string[]; everywhere: RequestHandler[] } {
  const routes: ServedRoute[] = [];
  const mounts = new Set<string>();
  const everywhere: RequestHandler[] = [];
  const walk = (stack: readonly Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = typeof layer.route.path === 'string' ? [layer.route.path] : layer.route.path;
        const methods = [...new Set(layer.route.stack.map((l) => l.method).filter((m): m is string => m !== undefined))];
        for (const p of paths) {
          for (const method of methods) {
            const handlers = layer.route.stack.filter((l) => l.method === method || l.method === undefined).map((l) => l.handle);
            routes.push({ method, path: openApiPath(join(prefix, p)), handlers });
          }
        }
        continue;
      }
      const raw = layer.rawPath ?? '/';
      const paths = typeof raw === 'string' ? [raw] : raw;
      for (const p of paths) {
        if (Array.isArray(layer.handle.stack)) walk(layer.handle.stack, join(prefix, p));
        else if (p !== '/') mounts.add(join(prefix, p));
        else if (prefix === '') everywhere.push(layer.handle);
      }
    }
  };
  const router = (app as unknown as { router: { stack: readonly Layer[] } }).router;
  walk(router.stack, '');
  return { routes, mounts: [...mounts].sort(), everywhere };
}
