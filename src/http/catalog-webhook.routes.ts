/**
 * Authenticated endpoints for facts recorded from outside the chat: a pipeline's deploy stage
 * records a deployment, a rota tool records who is on call. Bearer token (CATALOG_WEBHOOK_TOKEN),
 * compared in constant time; off when no token is configured.
 *
 *   POST /api/catalog/deployments  { service, environment, version, status, pipelineRunUrl?, deployedBy?, deployedAt? }
 *   POST /api/catalog/oncall       { service, current: { name, email?, aadObjectId? }, until?, rotation? }
 *
 * 201 with the recorded fact; 400 with every reason; 401 without a valid token (checked before
 * the body is read); 404 unknown service; 413/415 for a body too large or not plain JSON.
 */
import type { Request, Response, Server } from 'restify';
import type { CatalogFactsService } from '../domain/catalog/catalog-facts.service';
import { isDomainError } from '../domain/domain-error';
import type { Logger } from '../logger';
import { DEFAULT_MAX_DEPTH, closeAfterAnswer, readJsonBody } from './json-body';
import { bearerTokenMatches as tokenMatches } from './bearer-token';
import { refuse } from './refuse';

const STATUS_BY_CODE: Record<string, number> = { 'CATALOG.INVALID': 400, 'CATALOG.NOT_FOUND': 404 };

export interface CatalogWebhookDependencies {
  facts: CatalogFactsService;
  token?: string;
  logger: Logger;
  /** MAX_BODY_BYTES. */
  maxBodyBytes: number;
  /** After a fact is stored: brings this replica's index up to date, so the next card shows it (others catch up at their poll). */
  afterRecord?: () => Promise<unknown>;
}

export function registerCatalogWebhooks(server: Server, deps: CatalogWebhookDependencies): void {
  const { facts, token, logger } = deps;
  if (!token) return;
  const limits = { maxBytes: deps.maxBodyBytes, maxDepth: DEFAULT_MAX_DEPTH };

  const handle = (record: (body: unknown, actor: { id: string; name?: string }) => Promise<unknown>) => async (req: Request, res: Response) => {
    if (!tokenMatches(req.headers.authorization, token)) {
      logger.warn({ path: req.path(), status: 401 }, 'catalog webhook: missing or wrong token');
      closeAfterAnswer(req, res);
      res.send(401, { error: 'Unauthorized', message: 'A valid bearer token is required.' });
      return;
    }
    const parsed = await readJsonBody(req, limits).catch(() => undefined);
    if (!parsed) return; // the client went away
    if (!parsed.ok) return refuse(req, res, logger, parsed);
    const body = (parsed.value ?? {}) as Record<string, unknown>;
    const caller = typeof req.headers['x-caller'] === 'string' ? req.headers['x-caller'] : undefined;
    const actor = { id: `pipeline:${caller ?? (typeof body.deployedBy === 'string' ? body.deployedBy : 'webhook')}` };
    try {
      const entity = await record(body, actor);
      // Stored is done: a failed index refresh only delays the card here until the next poll.
      await deps.afterRecord?.().catch((err: unknown) => logger.warn({ err }, 'catalog index refresh after a webhook failed'));
      res.send(201, { ok: true, entity });
    } catch (e) {
      if (isDomainError(e) && STATUS_BY_CODE[e.code]) {
        res.send(STATUS_BY_CODE[e.code], { error: e.code, message: e.message, details: e.details });
        return;
      }
      logger.error({ err: e, path: req.path() }, 'catalog webhook failed');
      res.send(500, { error: 'InternalError' });
    }
  };

  server.post('/api/catalog/deployments', handle(async (body, actor) => {
    const entity = await facts.recordDeployment(body as never, actor);
    return { ref: entity.ref, deployments: entity.deployments };
  }));
  server.post('/api/catalog/oncall', handle(async (body, actor) => {
    const entity = await facts.setOnCall(body as never, actor);
    return { ref: entity.ref, onCall: entity.onCall };
  }));
}
