/**
 * Registers Azure DevOps routes on the stand-in under `/{org}`, with what every real endpoint does
 * first: an unknown organisation is 404, a request without credentials is 401, `{project}` (id or
 * name) must exist, and service errors become the service's JSON error body.
 */
import { json, type StandInHandler, type StandInRequest, type StandInResponse, type StandInServer } from '../standin-server';
import { AdoError, errorResponse } from './errors';
import type { AdoState, ProjectRecord } from './state';

export interface RouteScope {
  /** Resolved from the `:project` route segment, when the route has one. */
  project?: ProjectRecord;
}

export type AdoHandler = (req: StandInRequest, scope: RouteScope) => StandInResponse | Promise<StandInResponse>;

export class AdoRouter {
  constructor(
    private readonly server: StandInServer,
    private readonly state: AdoState,
  ) {}

  /** `path` is relative to the collection URL, e.g. `/:project/_apis/policy/types`. */
  add(method: string, path: string, handler: AdoHandler): this {
    this.server.route(method, `/:org${path}`, this.wrap(handler));
    return this;
  }

  /** Route templates drop an empty `{project}` segment, so org-wide calls arrive without it. */
  addWithOptionalProject(method: string, path: string, handler: AdoHandler): this {
    return this.add(method, `/:project${path}`, handler).add(method, path, handler);
  }

  private wrap(handler: AdoHandler): StandInHandler {
    return async (req) => {
      if (req.params.org.toLowerCase() !== this.state.org.toLowerCase()) {
        return errorResponse(404, 'HostNotFoundException', `TF400813: The organization '${req.params.org}' could not be found.`);
      }
      if (!req.headers.authorization) {
        return {
          ...errorResponse(401, 'UnauthorizedRequestException', "TF400813: The user '' is not authorized to access this resource."),
          headers: { 'www-authenticate': `Basic realm="${req.params.org}"` },
        };
      }
      try {
        const project = req.params.project !== undefined ? this.state.requireProject(req.params.project) : undefined;
        return await handler(req, { project });
      } catch (e) {
        if (e instanceof AdoError) return errorResponse(e.status, e.typeKey, e.message);
        throw e;
      }
    };
  }
}

/** Query parameters are case-insensitive on the service (`$top`, `searchCriteria.status`, ...). */
export function queryParam(req: StandInRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of req.query) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export const listOf = (value: unknown[]): StandInResponse => json(200, { count: value.length, value });

/** `$top`/`$skip` paging as the list endpoints apply it. */
export function page<T>(items: T[], req: StandInRequest, prefix = ''): T[] {
  const skip = Number(queryParam(req, `${prefix}$skip`) ?? 0) || 0;
  const top = Number(queryParam(req, `${prefix}$top`) ?? 0) || items.length;
  return items.slice(skip, skip + top);
}

export function bodyObject(req: StandInRequest): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new AdoError(400, 'InvalidArgumentValueException', 'The request body must be a JSON object.');
  }
  return req.body as Record<string, unknown>;
}
