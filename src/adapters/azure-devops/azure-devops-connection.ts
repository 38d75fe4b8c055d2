/**
 * One authenticated azure-devops-node-api connection, shared by the read and write adapters: the
 * WebApi, the retry policy, and the area clients (built once, after the library's discovery).
 * `call` runs one request with retries and turns what is left of a failure into a DomainError.
 */
import { WebApi, getPersonalAccessTokenHandler } from 'azure-devops-node-api';
import type { IBuildApi } from 'azure-devops-node-api/BuildApi';
import type { ClientApiBase } from 'azure-devops-node-api/ClientApiBases';
import type { ICoreApi } from 'azure-devops-node-api/CoreApi';
import type { IGitApi } from 'azure-devops-node-api/GitApi';
import type { IPolicyApi } from 'azure-devops-node-api/PolicyApi';
import type { IServiceEndpointApi } from 'azure-devops-node-api/ServiceEndpointApi';
import type { ITaskAgentApi } from 'azure-devops-node-api/TaskAgentApi';
import { retryDecision, toDomainError, type CallContext } from './azure-devops-failures';
import type { UpstreamRecorder } from '../../domain/metrics/instruments.port';
import { timeRequests } from './request-timing';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry';

export interface AzureDevOpsOptions {
  /** The organisation (collection) URL, e.g. https://dev.azure.com/contoso. */
  orgUrl: string;
  /** A PAT (or other token the PAT handler accepts) with the scopes the adapter's calls name. */
  token: string;
  retry?: Partial<RetryPolicy>;
  /** Per-request socket timeout; a stalled request counts as a transient failure. */
  requestTimeoutMs?: number;
  /** Called once per HTTP attempt with its status (0: no answer) and seconds (the metrics). */
  onRequest?: UpstreamRecorder;
}

export class AzureDevOpsConnection {
  readonly orgUrl: string;
  readonly policy: RetryPolicy;
  private readonly webApi: WebApi;
  private readonly clients = new Map<string, Promise<unknown>>();
  private readonly onRequest?: UpstreamRecorder;

  constructor(options: AzureDevOpsOptions) {
    this.orgUrl = options.orgUrl.replace(/\/+$/, '');
    // Cross-origin on purpose: the PAT must also reach the organisation's other hosts (user
    // entitlements are on vsaex.dev.azure.com), which the REST client below calls.
    this.webApi = new WebApi(this.orgUrl, getPersonalAccessTokenHandler(options.token, true), { socketTimeout: options.requestTimeoutMs ?? 30_000 });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.onRequest = options.onRequest;
    this.timed(this.webApi.rest);
  }

  /** Times a client's requests (see request-timing.ts); the discovery client the library makes for itself is not reached. */
  private timed(rest: { client?: unknown } | undefined, http?: unknown): void {
    if (!this.onRequest) return;
    timeRequests(rest?.client as Parameters<typeof timeRequests>[0], this.onRequest);
    timeRequests(http as Parameters<typeof timeRequests>[0], this.onRequest);
  }

  /** The authenticated REST client, for the APIs the library has no client for (user entitlements); any absolute URL. */
  get rest(): WebApi['rest'] {
    return this.webApi.rest;
  }

  /** A request that is safe to repeat (a read, or a write the service itself guards), retried on transient failures. */
  call<T>(ctx: CallContext, operation: () => Promise<T>): Promise<T> {
    return withRetry(operation, this.policy, retryDecision).catch((e: unknown) => {
      throw toDomainError(e, ctx);
    });
  }

  /** Who the token authenticates as (connectionData): the identity the bot's own commits and pull requests carry. */
  async authenticatedUser(): Promise<{ id: string; displayName: string; email?: string }> {
    const data = await this.call({ operation: 'read who the bot is (connectionData)', permission: 'a valid token' }, () => this.webApi.connect());
    const user = data.authenticatedUser;
    if (!user?.id) throw toDomainError(new Error('connectionData names no authenticated user'), { operation: 'read who the bot is (connectionData)', permission: 'a valid token' });
    const account = (user.properties as Record<string, { $value?: unknown }> | undefined)?.Account?.$value;
    return { id: user.id, displayName: user.providerDisplayName ?? '', ...(typeof account === 'string' && account ? { email: account } : {}) };
  }

  /** Discovery for every area up front, in parallel (the composition root may call it at start-up); failures are left for the first real call. */
  async warmUp(): Promise<void> {
    await Promise.allSettled([this.git(), this.core(), this.build(), this.policyApi(), this.taskAgent()]);
  }

  git = (): Promise<IGitApi> => this.client('git', () => this.webApi.getGitApi());
  core = (): Promise<ICoreApi> => this.client('core', () => this.webApi.getCoreApi());
  build = (): Promise<IBuildApi> => this.client('build', () => this.webApi.getBuildApi());
  policyApi = (): Promise<IPolicyApi> => this.client('policy', () => this.webApi.getPolicyApi());
  /** Environments and variable groups (the "distributedtask" area). */
  taskAgent = (): Promise<ITaskAgentApi> => this.client('distributedtask', () => this.webApi.getTaskAgentApi());
  /** Service connections (looked up by name for Key Vault-linked variable groups). */
  serviceEndpoint = (): Promise<IServiceEndpointApi> => this.client('serviceendpoint', () => this.webApi.getServiceEndpointApi());

  // Built once (the library discovers resource areas first); a failed build is retried next time.
  // The area's locations are fetched here too: the library caches them only once an OPTIONS has
  // answered, so parallel first calls (four policy creates) would each send their own.
  private client<T extends ClientApiBase>(area: string, build: () => Promise<T>): Promise<T> {
    let client = this.clients.get(area) as Promise<T> | undefined;
    if (!client) {
      client = (async () => {
        const api = await build();
        this.timed(api.rest, api.http);
        await api.vsoClient.beginGetLocation(area, '');
        return api;
      })().catch((e: unknown) => {
        this.clients.delete(area);
        throw e;
      });
      this.clients.set(area, client);
    }
    return client;
  }
}
