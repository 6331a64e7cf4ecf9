/**
 * Bull Board at /admin/queues, for admin keys only. A browser cannot add a Bearer header to a
 * page it navigates to, so this path also takes HTTP Basic credentials (any user name, the admin
 * key as the password): the browser asks once and sends them with every request of the board,
 * including its own API calls. Scripts can still use `Authorization: Bearer <admin key>`.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { ApiKeyAuthenticator } from '../auth/api-keys.ts';
import { AppError } from '../errors.ts';
import type { AuthFailureLimiter } from '../http/auth.ts';
import { QUEUE_NAMES } from '../queue/queues.ts';

export const QUEUE_BOARD_PATH = '/admin/queues';

export interface QueueBoardDeps {
  readonly authenticator: ApiKeyAuthenticator;
  /** The app's failed-authentication counter per address (shared with the Bearer guard). */
  readonly authFailures: AuthFailureLimiter;
  /** The producer queue for a name (the outbox relay's, so its lifecycle closes them). */
  readonly queue: (name: string) => Queue;
}

export function adminOnly(authenticator: ApiKeyAuthenticator, authFailures: AuthFailureLimiter): RequestHandler {
  return async (req, res, next) => {
    await authFailures.refuseIfBlocked(req, res);
    const header = req.headers.authorization ?? '';
    let key: string | undefined;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (bearer) key = bearer[1];
    else if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      key = colon >= 0 ? decoded.slice(colon + 1) : decoded;
    }
    const principal = key ? await authenticator.authenticate(key) : null;
    if (principal === null) {
      if (key) await authFailures.recordFailure(req);
      res.setHeader('WWW-Authenticate', 'Basic realm="gongpei admin", charset="UTF-8"');
      throw new AppError('unauthorized', 'the queue board needs an admin key (HTTP Basic password, or Bearer)');
    }
    if (principal.role !== 'admin') throw new AppError('forbidden', `the queue board is for admin keys; this key is a ${principal.role} key`);
    next();
  };
}

function buildBoard(deps: QueueBoardDeps): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  const names = [QUEUE_NAMES.consolidate, QUEUE_NAMES.plan, QUEUE_NAMES.notify, QUEUE_NAMES.notifyDead];
  createBullBoard({
    // Plan jobs are a flow driven by the planner; retrying one by hand would skip its parent's logic.
    queues: names.map((n) => new BullMQAdapter(deps.queue(n), { readOnlyMode: n === QUEUE_NAMES.plan })),
    // @bull-board/express 9.10.1 pins its own copy of @bull-board/api (9.10.1, ours is 9.10.2):
    // the same interface from two declarations, so TypeScript needs the cast; runtime is fine.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'gongpei queues' } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The board's buttons (retry, add, clean, pause, obliterate) are requests the browser sends with
 * the Basic credentials it remembers, so another site could make the admin's browser send them
 * too (a `text/plain` POST needs no CORS preflight). A browser names the page that made a request
 * in `Origin` (and `Sec-Fetch-Site`): a changing request from any other origin is refused. A
 * script without those headers (curl with a Bearer key) is not a browser and passes.
 */
export const sameOriginOnly: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  const own = `${req.protocol}://${req.headers.host ?? ''}`;
  if (origin !== undefined ? origin !== own : site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new AppError('forbidden', 'cross-site request to the queue board refused: it must come from the board’s own pages');
  }
  next();
};

/**
 * Helmet's policy, narrowed: Bull Board's page links IBM Plex from a web font service, which an
 * admin page must not fetch (it tells a third party who opens the board, and from where); without
 * `https:` in font-src and style-src the browser does not load it and the system font is used.
 */
const boardSecurityHeaders = helmet({ contentSecurityPolicy: { directives: { 'font-src': ["'self'", 'data:'], 'style-src': ["'self'", "'unsafe-inline'"] } } });

/**
 * The board's page without its link to the web font service: the policy above already keeps the
 * browser from loading it, but the browser still reports the refused fetch, and the page should
 * not name an outside server at all. Bull Board renders its page with `res.render`; this wraps it
 * for the one response and sends the page without the link.
 */
const OUTSIDE_FONT_LINK = /<link\b[^>]*\bhref="https:\/\/fonts\.(?:googleapis|gstatic)\.com[^"]*"[^>]*>\s*/g;
export const withoutOutsideFonts: RequestHandler = (_req, res, next) => {
  const render = res.render.bind(res);
  res.render = ((view: string, options?: object) => {
    render(view, options ?? {}, (err: Error | null, html: string) => {
      if (err) return next(err);
      res.send(html.replace(OUTSIDE_FONT_LINK, ''));
    });
  }) as typeof res.render;
  next();
};

export function queueBoardRoutes(deps: QueueBoardDeps): Router {
  // Built on the first admin request: an API that nobody inspects opens no extra Redis connections.
  let board: RequestHandler | undefined;
  const r = Router();
  r.use(QUEUE_BOARD_PATH, sameOriginOnly, boardSecurityHeaders, adminOnly(deps.authenticator, deps.authFailures), withoutOutsideFonts, (req, res, next) => {
    board ??= buildBoard(deps);
    return board(req, res, next);
  });
  return r;
}
