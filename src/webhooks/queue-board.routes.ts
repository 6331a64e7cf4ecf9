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
import type { ApiKeyAuthenticator } from '../auth/api-keys.ts';
import { AppError } from '../errors.ts';
import { QUEUE_NAMES } from '../queue/queues.ts';

export const QUEUE_BOARD_PATH = '/admin/queues';

export interface QueueBoardDeps {
  readonly authenticator: ApiKeyAuthenticator;
  /** The producer queue for a name (the outbox relay's, so its lifecycle closes them). */
  readonly queue: (name: string) => Queue;
}

export function adminOnly(authenticator: ApiKeyAuthenticator): RequestHandler {
  return async (req, res, next) => {
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

export function queueBoardRoutes(deps: QueueBoardDeps): Router {
  // Built on the first admin request: an API that nobody inspects opens no extra Redis connections.
  let board: RequestHandler | undefined;
  const r = Router();
  r.use(QUEUE_BOARD_PATH, adminOnly(deps.authenticator), (req, res, next) => {
    board ??= buildBoard(deps);
    return board(req, res, next);
  });
  return r;
}
