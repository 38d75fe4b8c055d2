/**
 * Builds the Microsoft Graph client every Graph adapter uses: the SDK's own auth (a TokenCredential
 * via TokenCredentialAuthenticationProvider), retry, redirect and telemetry handlers, over a
 * node:https transport (see node-https-handler.ts). Production and sandbox differ only in
 * `baseUrl` (+ `customHosts`, so the token goes to a non-Microsoft host) and `ca`.
 */
import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { UpstreamRecorder } from '../../domain/metrics/instruments.port';
import { NodeHttpsHandler } from './node-https-handler';

const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';
const MICROSOFT_GRAPH_HOSTS = ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'];

export interface GraphClientOptions {
  credential: TokenCredential;
  /** Without the version segment, e.g. https://graph.microsoft.com (config GRAPH_BASE_URL). */
  baseUrl?: string;
  /** Default: `https://graph.microsoft.com/.default` (stand-ins check that audience too). */
  scopes?: string[];
  /** Trust anchors for https (the sandbox CA); omit in production. */
  ca?: string;
  timeoutMs?: number;
  /** The SDK retries 429/503/504 honouring Retry-After; defaults 3 retries, 3 s base delay. */
  retry?: { maxRetries?: number; delaySeconds?: number };
  /** Called once per HTTP attempt (the transport is the last link: each retry counts) with its status (0: no answer). */
  onRequest?: UpstreamRecorder;
}

export interface GraphClientHandle {
  client: Client;
  close(): void;
}

export function createGraphClient(options: GraphClientOptions): GraphClientHandle {
  const baseUrl = (options.baseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  const host = new URL(baseUrl).hostname;
  const auth = new TokenCredentialAuthenticationProvider(options.credential, { scopes: options.scopes ?? [`${DEFAULT_GRAPH_BASE_URL}/.default`] });
  const transport = new NodeHttpsHandler({ ca: options.ca, timeoutMs: options.timeoutMs, ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
  const client = Client.initWithMiddleware({
    baseUrl,
    defaultVersion: 'v1.0',
    // The auth handler attaches the token only to Graph hosts and these (https, hostname without port).
    customHosts: MICROSOFT_GRAPH_HOSTS.includes(host) ? undefined : new Set([host]),
    middleware: [
      new AuthenticationHandler(auth),
      new RetryHandler(new RetryHandlerOptions(options.retry?.delaySeconds ?? 3, options.retry?.maxRetries ?? 3)),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      transport,
    ],
  });
  return { client, close: () => transport.close() };
}
