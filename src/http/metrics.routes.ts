/**
 * GET /metrics: the Prometheus text exposition of this replica's metrics. The public HTTPRoute
 * forwards only /api/messages, so a scraper reaches this port inside the cluster; with
 * METRICS_TOKEN set it must also send `Authorization: Bearer <token>` (compared in constant time),
 * for clusters where in-cluster traffic is not trusted.
 */
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../logger';
import { bearerTokenMatches } from './bearer-token';
import { refuse } from './refuse';

/** Where the text comes from (the Prometheus adapter's registry). */
export interface MetricsExposition {
  readonly contentType: string;
  text(): Promise<string>;
}

export interface MetricsRouteDependencies {
  exposition: MetricsExposition;
  /** METRICS_TOKEN; absent: no token asked for. */
  token?: string;
  logger: Logger;
}

export const METRICS_PATH = '/metrics';

export function registerMetricsRoute(server: Server, deps: MetricsRouteDependencies): void {
  const { exposition, token, logger } = deps;
  server.get(METRICS_PATH, async (req: Request, res: Response) => {
    if (token && !bearerTokenMatches(req.headers.authorization, token)) {
      res.header('WWW-Authenticate', 'Bearer');
      refuse(req, res, logger, { status: 401, error: 'Unauthorized', message: 'A valid bearer token (METRICS_TOKEN) is required.' });
      return;
    }
    try {
      const text = await exposition.text();
      res.sendRaw(200, text, { 'Content-Type': exposition.contentType, 'Cache-Control': 'no-store' });
    } catch (err) {
      logger.error({ err }, 'metrics exposition failed');
      res.send(500, { error: 'InternalError', message: 'The metrics could not be collected.' });
    }
  });
}
