/**
 * The welcome card's "Download devcontainer.json": the joiner's generated file, behind the
 * record's unguessable token (compared in constant time), so the link works from a browser with
 * no sign-in and leaks nothing without the token.
 *
 *   GET /api/onboarding/:id/devcontainer.json?token=...
 *
 * 200 with the file as an attachment; 404 with no detail for an unknown record, a wrong or
 * missing token, a closed (offboarded) onboarding or a team gone from the catalog.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { isDomainError } from '../domain/domain-error';
import { devcontainerText } from '../domain/onboarding/dev-environment';
import type { OnboardingStore } from '../domain/onboarding/onboarding-store.port';
import type { WelcomePackFor } from '../domain/onboarding/welcome-pack';
import type { Logger } from '../logger';

export const DEVCONTAINER_DOWNLOAD_ROUTE = '/api/onboarding/:id/devcontainer.json';

/** The link on the card: `publicUrl` is the bot's public base URL (PUBLIC_URL). */
export const devcontainerDownloadUrl = (publicUrl: string, record: { id: string; downloadToken: string }): string =>
  `${publicUrl.replace(/\/+$/, '')}/api/onboarding/${encodeURIComponent(record.id)}/devcontainer.json?token=${encodeURIComponent(record.downloadToken)}`;

export interface DevcontainerDownloadDeps {
  store: Pick<OnboardingStore, 'get'>;
  pack: WelcomePackFor;
  logger: Logger;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
// Hashing first gives equal lengths, so timingSafeEqual never throws and the length leaks nothing.
const tokenMatches = (presented: string, expected: string): boolean => presented.length > 0 && expected.length > 0 && timingSafeEqual(digest(presented), digest(expected));

export function registerDevcontainerDownload(server: Server, deps: DevcontainerDownloadDeps): void {
  // Never returns a value: restify logs a handler's returned value, request URL (and token) included.
  const notFound = (res: Response): void => {
    res.send(404, { error: 'NotFound' });
  };

  server.get(DEVCONTAINER_DOWNLOAD_ROUTE, async (req: Request, res: Response) => {
    // The query holds the token: never log req.url, only the path.
    const id = String(req.params?.id ?? '');
    const presented = new URL(req.url ?? '/', 'http://local').searchParams.get('token') ?? '';
    try {
      const record = id ? await deps.store.get(id) : null;
      if (!record || !tokenMatches(presented, record.downloadToken) || record.state === 'offboarded') {
        notFound(res);
        return;
      }
      const text = devcontainerText((await deps.pack(record)).environment.devcontainer);
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': 'attachment; filename="devcontainer.json"',
        'content-length': Buffer.byteLength(text),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(text);
    } catch (e) {
      if (isDomainError(e)) {
        deps.logger.warn({ path: req.path(), code: e.code }, 'devcontainer download: nothing to serve');
        notFound(res);
        return;
      }
      deps.logger.error({ err: e, path: req.path() }, 'devcontainer download failed');
      res.send(500, { error: 'InternalError' });
    }
  });
}
