/**
 * The platform metrics as JSON, for dashboards and reports: the same computation as the
 * `platform metrics` card (PlatformMetricsService.compute).
 *
 *   GET /api/platform/metrics?days=28   Authorization: Bearer <PLATFORM_METRICS_TOKEN>
 *
 * 200 with the figures (dates ISO 8601, durations in milliseconds, null where there is no data);
 * 400 for days outside 1..365; 401 without a valid token (constant-time comparison). With no
 * token configured the route is not registered: 404, like any unknown path.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { isDomainError } from '../domain/domain-error';
import type { PlatformMetricsService } from '../domain/platform-metrics/platform-metrics.service';
import { DEFAULT_PERIOD_DAYS } from '../domain/platform-metrics/platform-metrics.types';
import type { Logger } from '../logger';

export const PLATFORM_METRICS_PATH = '/api/platform/metrics';

const digest = (s: string) => createHash('sha256').update(s).digest();

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  // Hashing first gives equal lengths, so timingSafeEqual never throws and leaks nothing.
  return timingSafeEqual(digest(presented), digest(token));
}

export interface PlatformMetricsRouteDeps {
  metrics: Pick<PlatformMetricsService, 'compute'>;
  token?: string;
  logger: Logger;
}

export function registerPlatformMetricsRoute(server: Server, deps: PlatformMetricsRouteDeps): void {
  const { token, logger } = deps;
  if (!token) return;
  server.get(PLATFORM_METRICS_PATH, async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!tokenMatches(req.headers.authorization, token)) {
      logger.warn({ path: req.path(), status: 401 }, 'platform metrics: missing or wrong token');
      res.send(401, { error: 'Unauthorized', message: 'A valid bearer token is required.' });
      return;
    }
    const raw = new URL(req.url ?? '', 'http://localhost').searchParams.get('days');
    const days = raw === null || raw === '' ? DEFAULT_PERIOD_DAYS : /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
    try {
      res.send(200, await deps.metrics.compute(days));
    } catch (e) {
      if (isDomainError(e) && e.code === 'METRICS.PERIOD_INVALID') {
        res.send(400, { error: e.code, message: 'days must be a whole number from 1 to 365.' });
        return;
      }
      logger.error({ err: e, path: req.path() }, 'platform metrics failed');
      res.send(500, { error: 'InternalError' });
    }
  });
}
