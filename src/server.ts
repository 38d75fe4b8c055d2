/**
 * HTTP edge (restify): /api/messages through the bot adapter, health and readiness probes, the
 * sandbox description, and a drain on shutdown. A POST to /api/messages is checked in the order
 * that tells a stranger least: token (401), body (415, 413, 400), activity shape (400), tenant
 * (403); only then does a turn run.
 */
import restify, { type Request, type Response, type Server } from 'restify';
import type { Activity, ActivityHandler } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';
import type { BotHttpAdapter } from './bot/bot-adapter';
import { activityProblem } from './http/activity-problem';
import { closeAfterAnswer, DEFAULT_MAX_DEPTH, readJsonBody } from './http/json-body';
import { refuse } from './http/refuse';
import { tenantAllowed, tenantOf } from './http/tenant-gate';

export { activityProblem };

export interface ReadinessCheck {
  name: string;
  check: () => boolean | Promise<boolean>;
}

export interface ServerDependencies {
  logger: Logger;
  adapter: BotHttpAdapter;
  bot: ActivityHandler;
  maxBodyBytes: number;
  /** Deepest JSON nesting accepted (default 64). */
  maxJsonDepth?: number;
  /** ALLOWED_TENANT_IDS; empty or absent: any tenant. */
  allowedTenantIds?: readonly string[];
  readiness: ReadinessCheck[];
  /** Present only in sandbox mode: GET /sandbox answers it. */
  sandboxInfo?: () => unknown;
  /** Extra routes (e.g. authenticated webhooks of later features). */
  extraRoutes?: (server: Server) => void;
}

export interface BotServer {
  server: Server;
  listen(port: number, host: string): Promise<string>;
  /** Stop accepting, wait for in-flight turns (up to graceMs), then close. */
  drain(graceMs: number): Promise<void>;
  inFlight(): number;
}

export function createServer(deps: ServerDependencies): BotServer {
  const { logger } = deps;
  // restify logs through ours (redaction, serializers without headers), never a logger of its own.
  const restifyLog = logger.child({ component: 'restify' }) as unknown as restify.ServerOptions['log'];
  const server = restify.createServer({ name: 'idp-bot', handleUncaughtExceptions: false, log: restifyLog });
  const limits = { maxBytes: deps.maxBodyBytes, maxDepth: deps.maxJsonDepth ?? DEFAULT_MAX_DEPTH };
  const allowedTenants = deps.allowedTenantIds ?? [];
  let inFlight = 0;
  let draining = false;

  // Unknown routes and other restify errors: one log line.
  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, next: (e?: unknown) => void) => {
    logger.warn({ path: req.path(), status: err.statusCode, reason: err.message }, 'request rejected');
    return next();
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (draining) {
      res.header('Retry-After', '1');
      refuse(req, res, logger, { status: 503, error: 'ShuttingDown', message: 'The bot is shutting down; retry.' });
      return;
    }
    inFlight += 1;
    try {
      await handleActivity(req, res);
    } finally {
      inFlight -= 1;
    }
  });

  const handleActivity = async (req: Request, res: Response): Promise<void> => {
    const auth = String(req.headers.authorization ?? '');
    try {
      await deps.adapter.authenticateCaller(auth);
    } catch (err) {
      if (!(err instanceof AuthenticationError)) throw err;
      unauthorized(req, res, err.message);
      return;
    }
    const body = await readJsonBody(req, limits).catch(() => undefined);
    if (!body) {
      logger.warn({ path: req.path() }, 'request body not received: the client went away');
      return;
    }
    if (!body.ok) return refuse(req, res, logger, body);
    const problem = activityProblem(body.value);
    if (problem) return refuse(req, res, logger, { status: 400, error: 'BadRequest', message: `Not a Bot Framework activity: ${problem}.` });
    const activity = body.value as Activity;
    if (!tenantAllowed(activity, allowedTenants)) {
      logger.warn({ activityId: activity.id, tenantId: tenantOf(activity) }, 'activity from a tenant that is not allowed');
      return refuse(req, res, logger, { status: 403, error: 'Forbidden', message: 'This tenant is not allowed to use this bot.' });
    }
    try {
      const invokeResponse = await deps.adapter.processIncoming(auth, activity, (turn) => deps.bot.run(turn));
      if (invokeResponse) res.send(invokeResponse.status ?? 200, invokeResponse.body);
      else res.send(200);
    } catch (err) {
      if (err instanceof AuthenticationError) {
        unauthorized(req, res, err.message, activity.id);
      } else {
        logger.error({ activityId: activity.id, err }, 'activity processing failed');
        res.send(500, { error: 'InternalError', reference: activity.id });
      }
    }
  };

  const unauthorized = (req: Request, res: Response, reason: string, activityId?: string) => {
    logger.warn({ path: req.path(), activityId, status: 401, reason }, 'unauthenticated request');
    closeAfterAnswer(req, res);
    res.send(401, { error: 'Unauthorized' });
  };

  // Clients probe the endpoint with HEAD; GET is not part of the protocol. Neither is an error.
  server.head('/api/messages', async (_req: Request, res: Response) => {
    res.send(200);
  });
  server.get('/api/messages', async (_req: Request, res: Response) => {
    res.header('Allow', 'POST, HEAD');
    res.send(405, { error: 'MethodNotAllowed', message: 'POST a Bot Framework activity (application/json) to /api/messages.' });
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'alive' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    const checks: Record<string, boolean> = {};
    for (const { name, check } of deps.readiness) {
      try {
        checks[name] = await check();
      } catch {
        checks[name] = false;
      }
    }
    const ready = !draining && Object.values(checks).every(Boolean);
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', draining, checks });
  });

  if (deps.sandboxInfo) {
    const info = deps.sandboxInfo;
    server.get('/sandbox', async (_req: Request, res: Response) => {
      res.send(200, info());
    });
  }
  deps.extraRoutes?.(server);

  return {
    server,
    inFlight: () => inFlight,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: actual } = server.address() as AddressInfo;
          resolve(`http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}`);
        });
      }),
    drain: async (graceMs) => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + graceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (inFlight > 0) logger.warn({ inFlight }, 'shutdown grace period over with turns still running');
      // Idle keep-alive sockets would hold close() open: drop them now that turns are done.
      (server.server as import('node:http').Server).closeAllConnections?.();
      await closed;
    },
  };
}
