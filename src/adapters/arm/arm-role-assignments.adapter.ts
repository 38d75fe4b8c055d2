/**
 * RoleAssignments over the Azure Resource Manager REST API (Microsoft.Authorization
 * roleAssignments, api-version 2022-04-01) with @azure/core-rest-pipeline: the SDK's bearer token
 * policy (scope https://management.azure.com/.default), its retries (429 honouring Retry-After,
 * 5xx and dropped connections with exponential backoff) and TLS options (the sandbox CA).
 *
 * ensure(): GET the deterministic name first (an existing assignment answers `created: false`
 * without a write; ARM answers a repeated PUT with 201 too, so the PUT alone cannot tell), then PUT.
 * 409 RoleAssignmentExists (the same role for the same principal at the scope under another name,
 * e.g. made in the portal) is success: the existing one is looked up and returned. 400
 * PrincipalNotFound (a new identity not replicated to ARM yet) is retried a bounded number of
 * times, waiting longer each time, then SECRETS.PRINCIPAL_NOT_FOUND.
 */
import type { TokenCredential } from '@azure/identity';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  isRestError,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import { DomainError } from '../../domain/domain-error';
import type { RoleAssignment, RoleAssignmentSpec, RoleAssignments } from '../../domain/secrets/role-assignments.port';
import type { UpstreamRecorder } from '../../domain/metrics/instruments.port';
import { requestTimingPolicy } from '../azure-core/request-timing-policy';
import { normalizeScope, roleAssignmentName } from './role-assignment-name';

const API_VERSION = '2022-04-01';
const PROVIDER = '/providers/Microsoft.Authorization/roleAssignments';
const DEFAULT_BASE_URL = 'https://management.azure.com';

export interface ArmRoleAssignmentsOptions {
  credential: TokenCredential;
  /** ARM endpoint (config ARM_BASE_URL). */
  baseUrl?: string;
  /** Token scope; default https://management.azure.com/.default (sovereign clouds differ). */
  scope?: string;
  /** Trust anchors for https (the sandbox CA); omit in production. */
  tlsOptions?: { ca: string };
  /** The pipeline's retries of 429/5xx/dropped connections (default 3 retries, 800 ms base, 60 s cap). */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** PUTs on 400 PrincipalNotFound before giving up (default 5), waiting delayMs, 2x, 4x... between (default 2000 ms; tests use 0). */
  principalNotFound?: { attempts?: number; delayMs?: number };
  timeoutMs?: number;
  /** Called once per HTTP attempt with its status (0: no answer) and seconds. */
  onRequest?: UpstreamRecorder;
}

interface ArmAssignmentDto {
  id: string;
  name: string;
  properties: { roleDefinitionId: string; principalId: string; principalType?: RoleAssignmentSpec['principalType']; scope: string };
}

interface ArmAnswer {
  status: number;
  body: unknown;
  retryAfter?: string;
}

export class ArmRoleAssignments implements RoleAssignments {
  private readonly pipeline: Pipeline;
  private readonly http: HttpClient;
  private readonly baseUrl: string;
  private readonly attempts: number;
  private readonly delayMs: number;
  private readonly timeoutMs: number;

  constructor(options: ArmRoleAssignmentsOptions) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.pipeline = createPipelineFromOptions({ retryOptions: options.retry, tlsOptions: options.tlsOptions, userAgentOptions: { userAgentPrefix: 'idp-teams-bot' } });
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope ?? `${DEFAULT_BASE_URL}/.default` }));
    if (options.onRequest) this.pipeline.addPolicy(requestTimingPolicy(options.onRequest), { afterPhase: 'Retry' });
    this.http = createDefaultHttpClient();
    this.attempts = Math.max(1, options.principalNotFound?.attempts ?? 5);
    this.delayMs = Math.max(0, options.principalNotFound?.delayMs ?? 2000);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async ensure(spec: RoleAssignmentSpec): Promise<{ assignment: RoleAssignment; created: boolean }> {
    const scope = spec.scope.trim().replace(/\/+$/, '');
    const name = roleAssignmentName(scope, spec.roleDefinitionId, spec.principalId);
    const path = `${encodeScope(scope)}${PROVIDER}/${name}`;

    const existing = await this.call('GET', path, undefined, scope, 'read a role assignment');
    if (existing.status === 200) return { assignment: toAssignment(existing.body as ArmAssignmentDto), created: false };
    if (existing.status !== 404) throw this.failure(existing, scope, spec, 'read a role assignment');

    const body = {
      properties: {
        roleDefinitionId: `/subscriptions/${subscriptionOf(scope)}/providers/Microsoft.Authorization/roleDefinitions/${spec.roleDefinitionId}`,
        principalId: spec.principalId,
        // Named, so ARM waits for a new identity's replication instead of failing at once (Microsoft's advice).
        principalType: spec.principalType,
      },
    };
    for (let attempt = 1; ; attempt++) {
      const answer = await this.call('PUT', path, body, scope, 'assign a role');
      if (answer.status === 200 || answer.status === 201) return { assignment: toAssignment(answer.body as ArmAssignmentDto), created: true };
      if (answer.status === 409) return { assignment: await this.existingFor(scope, spec), created: false };
      if (armCode(answer.body) === 'PrincipalNotFound' && attempt < this.attempts) {
        if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs * 2 ** (attempt - 1)));
        continue;
      }
      throw this.failure(answer, scope, spec, 'assign a role', attempt);
    }
  }

  async listAt(scope: string): Promise<RoleAssignment[]> {
    const wanted = normalizeScope(scope);
    const out: RoleAssignment[] = [];
    // atScope(): at this scope and above it (inherited); only those at exactly this scope are kept.
    let next: string | undefined = `${this.baseUrl}${encodeScope(scope.trim().replace(/\/+$/, ''))}${PROVIDER}?$filter=${encodeURIComponent('atScope()')}&api-version=${API_VERSION}`;
    while (next) {
      const answer = await this.call('GET', next, undefined, scope, 'list role assignments');
      if (answer.status !== 200) throw this.failure(answer, scope, undefined, 'list role assignments');
      const page = answer.body as { value?: ArmAssignmentDto[]; nextLink?: string | null };
      for (const dto of page.value ?? []) if (normalizeScope(dto.properties.scope) === wanted) out.push(toAssignment(dto));
      next = page.nextLink ?? undefined;
      // The token goes with every request: follow only links back to the ARM endpoint configured.
      if (next && new URL(next).origin !== new URL(this.baseUrl).origin) {
        throw new DomainError('UPSTREAM.FAILED', `ARM answered a role assignment list with a next page on another host (${new URL(next).host}); not followed.`, { service: 'arm', action: 'list role assignments' });
      }
    }
    return out;
  }

  /** The assignment a 409 RoleAssignmentExists refers to: the same role for the same principal at this scope. */
  private async existingFor(scope: string, spec: RoleAssignmentSpec): Promise<RoleAssignment> {
    const found = (await this.listAt(scope)).find((a) => a.roleDefinitionId === spec.roleDefinitionId.toLowerCase() && a.principalId === spec.principalId.toLowerCase());
    if (found) return found;
    throw new DomainError('UPSTREAM.UNAVAILABLE', `ARM said the role assignment exists at ${scope} but does not list it yet.`, { service: 'arm', action: 'assign a role', status: 409 });
  }

  /** `target`: a path under the base URL (api-version added) or an absolute next link. */
  private call(method: HttpMethods, target: string, body: unknown, scope: string, action: string): Promise<ArmAnswer> {
    const url = target.startsWith('/') ? `${this.baseUrl}${target}?api-version=${API_VERSION}` : target;
    return this.send(method, url, body).catch((e: unknown) => {
      throw transportFailure(e, scope, action);
    });
  }

  private async send(method: HttpMethods, url: string, body?: unknown): Promise<ArmAnswer> {
    const request = createPipelineRequest({
      url,
      method,
      timeout: this.timeoutMs,
      headers: createHttpHeaders({ accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await this.pipeline.sendRequest(this.http, request);
    let parsed: unknown = response.bodyAsText ?? '';
    try {
      parsed = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
    } catch {
      /* not JSON (a proxy's error page): keep the text */
    }
    return { status: response.status, body: parsed, retryAfter: response.headers.get('retry-after') };
  }

  private failure(answer: ArmAnswer, scope: string, spec: RoleAssignmentSpec | undefined, action: string, attempts = 1): DomainError {
    const code = armCode(answer.body);
    const details: Record<string, unknown> = { service: 'arm', action, status: answer.status, armCode: code };
    const said = `${code ?? answer.status}: ${armMessage(answer.body)}`;
    if (code === 'PrincipalNotFound' && spec) {
      return new DomainError('SECRETS.PRINCIPAL_NOT_FOUND', `ARM does not find principal ${spec.principalId} after ${attempts} tries (${said})`, { ...details, principalId: spec.principalId, attempts });
    }
    if (answer.status === 403) return new DomainError('SECRETS.ASSIGNMENT_FORBIDDEN', `ARM refused to let me ${action} at ${scope} (${said})`, { ...details, scope });
    if (answer.status === 401) return new DomainError('UPSTREAM.FORBIDDEN', `Azure Resource Manager did not accept the bot's token to ${action} (${said}).`, details);
    if (answer.status === 429) {
      const retryAfter = Number(answer.retryAfter);
      return new DomainError('UPSTREAM.THROTTLED', `Azure Resource Manager is throttling requests to ${action}.`, { ...details, ...(Number.isFinite(retryAfter) && answer.retryAfter ? { retryAfterSeconds: retryAfter } : {}) });
    }
    if (answer.status >= 500) return new DomainError('UPSTREAM.UNAVAILABLE', `Azure Resource Manager did not answer a request to ${action} (${said}).`, details);
    return new DomainError('UPSTREAM.FAILED', `Azure Resource Manager refused to ${action} at ${scope} (${said}).`, details);
  }
}

function toAssignment(dto: ArmAssignmentDto): RoleAssignment {
  return {
    id: dto.id,
    name: dto.name,
    scope: dto.properties.scope,
    roleDefinitionId: (dto.properties.roleDefinitionId.split('/').pop() ?? '').toLowerCase(),
    principalId: dto.properties.principalId.toLowerCase(),
    principalType: dto.properties.principalType ?? 'ServicePrincipal',
  };
}

/** Each segment encoded, the slashes kept: ARM scopes are paths. */
const encodeScope = (scope: string): string => scope.split('/').map(encodeURIComponent).join('/');

function subscriptionOf(scope: string): string {
  const m = /^\/subscriptions\/([^/]+)/i.exec(scope);
  if (!m) throw new Error(`Not an ARM scope under a subscription: ${scope}`);
  return m[1]!;
}

const armError = (body: unknown): { code?: string; message?: string } =>
  body && typeof body === 'object' && 'error' in body && body.error && typeof body.error === 'object' ? (body.error as { code?: string; message?: string }) : {};
const armCode = (body: unknown): string | undefined => armError(body).code;
const armMessage = (body: unknown): string => armError(body).message ?? (typeof body === 'string' ? body.slice(0, 200) : '');

/** A request that never got an answer (refused, dropped after the retries, timed out) or a token that could not be had. */
function transportFailure(e: unknown, scope: string, action: string): DomainError {
  if (e instanceof DomainError) return e;
  const name = (e as Error)?.name ?? 'Error';
  const details = { service: 'arm', action, status: -1, errorName: name, code: isRestError(e) ? e.code : undefined };
  if (/^(AuthenticationError|CredentialUnavailableError|AggregateAuthenticationError)$/.test(name)) {
    return new DomainError('UPSTREAM.FORBIDDEN', `The bot could not get a token for Azure Resource Manager to ${action} at ${scope} (${name}).`, details);
  }
  return new DomainError('UPSTREAM.UNAVAILABLE', `Azure Resource Manager did not answer a request to ${action} (${isRestError(e) ? (e.code ?? name) : name}).`, details);
}
