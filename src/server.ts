/**
 * HTTP edge (restify): /api/messages through the bot adapter, health and readiness probes, the
 * sandbox description, body limits, and a drain on shutdown.
 */
import restify, { type Request, type Response, type Server } from 'restify';
import type { Activity, ActivityHandler } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger';
import type { BotHttpAdapter } from './bot/bot-adapter';

export interface ReadinessCheck {
  name: string;
  check: () => boolean | Promise<boolean>;
}

export interface ServerDependencies {
  logger: Logger;
  adapter: BotHttpAdapter;
  bot: ActivityHandler;
  maxBodyBytes: number;
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

/** Why a parsed body is not an activity we can process, or null when it is. */
export function activityProblem(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const a = body as Partial<Activity>;
  if (typeof a.type !== 'string' || !a.type) return 'the activity has no "type"';
  if (typeof a.serviceUrl !== 'string' || !a.serviceUrl) return 'the activity has no "serviceUrl"';
  if (typeof a.conversation?.id !== 'string') return 'the activity has no "conversation.id"';
  if (typeof a.from?.id !== 'string') return 'the activity has no "from.id"';
  if (a.text !== undefined && typeof a.text !== 'string') return '"text" is not a string';
  return null;
}

export function createServer(deps: ServerDependencies): BotServer {
  const { logger } = deps;
  const server = restify.createServer({ name: 'idp-bot', handleUncaughtExceptions: false });
  let inFlight = 0;
  let draining = false;

  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, mapFiles: false }));

  // Body parser failures (malformed JSON 400, oversized 413) and other restify errors: one log line.
  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, next: (e?: unknown) => void) => {
    logger.warn({ path: req.path(), status: err.statusCode, reason: err.message }, 'request rejected');
    return next();
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (draining) {
      res.header('Retry-After', '1');
      res.send(503, { error: 'shutting down' });
      return;
    }
    const problem = activityProblem(req.body);
    if (problem) {
      logger.warn({ path: '/api/messages', status: 400, reason: problem }, 'request rejected');
      res.send(400, { error: 'BadRequest', message: `Not a Bot Framework activity: ${problem}.` });
      return;
    }
    const activity = req.body as Activity;
    inFlight += 1;
    try {
      const auth = String(req.headers.authorization ?? '');
      const invokeResponse = await deps.adapter.processIncoming(auth, activity, (turn) => deps.bot.run(turn));
      if (invokeResponse) res.send(invokeResponse.status ?? 200, invokeResponse.body);
      else res.send(200);
    } catch (err) {
      if (err instanceof AuthenticationError) {
        logger.warn({ activityId: activity.id, status: 401, reason: err.message }, 'unauthenticated request');
        res.send(401, { error: 'Unauthorized' });
      } else {
        logger.error({ activityId: activity.id, err }, 'activity processing failed');
        res.send(500, { error: 'InternalError', reference: activity.id });
      }
    } finally {
      inFlight -= 1;
    }
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
