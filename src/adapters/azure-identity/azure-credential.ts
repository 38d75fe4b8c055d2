/**
 * The bot's own Entra identity for Graph (and other Azure SDK clients): a client secret where one
 * is configured, else workload identity (AKS). A non-public authority host (a sovereign cloud, the
 * sandbox's stand-in) skips instance discovery, which would call login.microsoftonline.com.
 */
import { ClientSecretCredential, WorkloadIdentityCredential, type TokenCredential } from '@azure/identity';
import type { UpstreamRecorder } from '../../domain/metrics/instruments.port';
import { requestTimingEntry } from '../azure-core/request-timing-policy';

export interface AzureCredentialOptions {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  authorityHost: string;
  /** PEM of an extra CA to trust (the sandbox's). */
  caPem?: string;
  /** Called once per HTTP attempt to the authority (token requests) with its status and seconds. */
  onRequest?: UpstreamRecorder;
}

const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

export function createAzureCredential(options: AzureCredentialOptions): TokenCredential {
  const common = {
    authorityHost: options.authorityHost,
    ...(options.authorityHost.replace(/\/+$/, '') !== PUBLIC_AUTHORITY ? { disableInstanceDiscovery: true } : {}),
    ...(options.caPem ? { tlsOptions: { ca: options.caPem } } : {}),
    ...(options.onRequest ? { additionalPolicies: [requestTimingEntry(options.onRequest)] } : {}),
  };
  return options.clientSecret
    ? new ClientSecretCredential(options.tenantId, options.clientId, options.clientSecret, common)
    : new WorkloadIdentityCredential({ tenantId: options.tenantId, clientId: options.clientId, ...common });
}
