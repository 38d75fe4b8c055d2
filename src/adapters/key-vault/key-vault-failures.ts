/**
 * Turns what SecretClient throws into the domain's errors. The SDK throws a RestError (statusCode +
 * the service's error code, or a Node system code for transport failures), an AbortError when our
 * request timeout fires, and @azure/identity's errors when no token can be had. Nothing from the
 * request goes into the error (the SDK's RestError holds the request body, i.e. the value), and
 * any service text quoted is first scrubbed of the value being written.
 */
import { DomainError } from '../../domain/domain-error';
import { CAPPED_RETRY_AFTER_HEADER, retryAfterMs } from './key-vault-pipeline';

/** The data-plane permission each call needs (access-policy names), with Azure RBAC's data action. */
export const PERMISSIONS = {
  'secrets/set': 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
  'secrets/get': 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
  'secrets/list': 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
  'secrets/update': 'Microsoft.KeyVault/vaults/secrets/update/action',
  'secrets/delete': 'Microsoft.KeyVault/vaults/secrets/delete',
  'secrets/recover': 'Microsoft.KeyVault/vaults/secrets/recover/action',
} as const;
export type SecretPermission = keyof typeof PERMISSIONS;

export interface CallContext {
  vault: string;
  permission: SecretPermission;
  name?: string;
  /** The value being written, scrubbed from any service text that is quoted. */
  secretText?: string;
}

interface SdkErrorShape {
  name?: string;
  code?: string;
  statusCode?: number;
  details?: { error?: { code?: string; message?: string; innerError?: { code?: string } } };
  response?: { headers?: { get(name: string): string | undefined } };
  message?: string;
}

const TRANSPORT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const CREDENTIAL_ERRORS = new Set(['AuthenticationError', 'AuthenticationRequiredError', 'CredentialUnavailableError', 'AggregateAuthenticationError']);

/** The service's inner error code (ForbiddenByRbac, ObjectIsDeletedButRecoverable, SecretDisabled...). */
export const innerCodeOf = (e: unknown): string | undefined => (e as SdkErrorShape)?.details?.error?.innerError?.code;
export const statusOf = (e: unknown): number | undefined => (e as SdkErrorShape)?.statusCode;

export function toDomainError(e: unknown, ctx: CallContext): DomainError {
  if (e instanceof DomainError) return e;
  const err = (e ?? {}) as SdkErrorShape;
  const status = err.statusCode;
  const serviceCode = err.details?.error?.code ?? err.code;
  const innerCode = err.details?.error?.innerError?.code;
  const what = ctx.name ? `${ctx.permission} on ${ctx.name}` : ctx.permission;
  const base = { service: 'key-vault', vault: ctx.vault, ...(ctx.name ? { name: ctx.name } : {}) };

  if (err.name === 'AbortError' || (status === undefined && err.code && TRANSPORT_CODES.has(err.code))) {
    const reason = err.name === 'AbortError' ? 'timeout' : err.code!;
    return new DomainError('SECRETS.VAULT_UNREACHABLE', `Key Vault ${ctx.vault} did not answer ${what} (${reason}).`, { ...base, reason });
  }
  if (err.name && CREDENTIAL_ERRORS.has(err.name)) {
    const aadsts = /AADSTS\d+/.exec(err.message ?? '')?.[0];
    return new DomainError('UPSTREAM.FORBIDDEN', `The bot's identity could not get a token for Key Vault ${ctx.vault} (${aadsts ?? err.name}).`, { ...base, reason: aadsts ?? err.name });
  }
  if (status === 401) {
    // A token the vault does not accept (another tenant, a stale challenge): not a missing permission.
    return new DomainError('UPSTREAM.FORBIDDEN', `Key Vault ${ctx.vault} rejected the bot's token for ${what} (401 ${innerCode ?? serviceCode ?? ''}).`.replace(' )', ')'), { ...base, status, reason: innerCode ?? serviceCode ?? 'Unauthorized' });
  }
  if (status === 403) {
    return new DomainError('SECRETS.VAULT_FORBIDDEN', `Key Vault ${ctx.vault} refused ${what} to the bot's identity (${status} ${innerCode ?? serviceCode ?? ''}).`.replace(' )', ')'), {
      ...base,
      permission: ctx.permission,
      dataAction: PERMISSIONS[ctx.permission],
      status,
      ...(innerCode ? { serviceCode: innerCode } : {}),
    });
  }
  if (status === 404) {
    return new DomainError('SECRETS.NOT_FOUND', `Key Vault ${ctx.vault} has no secret ${ctx.name ?? ''} (${what}).`, base);
  }
  if (status === 409 && (ctx.permission === 'secrets/set' || ctx.permission === 'secrets/recover')) {
    return new DomainError('SECRETS.SOFT_DELETED', `Key Vault ${ctx.vault} holds ${ctx.name ?? 'the name'} as a deleted secret (${innerCode ?? serviceCode ?? 409}): recover or purge it first.`, base);
  }
  if (status === 429) {
    const capped = Number(err.response?.headers?.get(CAPPED_RETRY_AFTER_HEADER));
    const ms = err.response?.headers ? retryAfterMs(err.response.headers) : undefined;
    const retryAfterSeconds = Number.isFinite(capped) && capped > 0 ? capped : ms !== undefined ? Math.ceil(ms / 1000) : undefined;
    return new DomainError('UPSTREAM.THROTTLED', `Key Vault ${ctx.vault} is throttling requests (${what}).`, { ...base, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
  }
  if (status !== undefined && status >= 500) {
    return new DomainError('UPSTREAM.UNAVAILABLE', `Key Vault ${ctx.vault} failed ${what} (${status} ${serviceCode ?? ''}).`.replace(' )', ')'), { ...base, status });
  }
  // A 400 (too many tags, a value too large) or a 409 elsewhere: the service's reason, scrubbed.
  const reason = scrub(err.details?.error?.message ?? serviceCode ?? err.name ?? 'unknown', ctx.secretText);
  return new DomainError('UPSTREAM.FAILED', `Key Vault ${ctx.vault} refused ${what}: ${reason}`, { ...base, ...(status !== undefined ? { status } : {}), reason });
}

/** The value, in clear, base64 or URL-encoded, replaced wherever it appears. */
export function scrub(text: string, secretText: string | undefined): string {
  if (!secretText) return text;
  let out = text;
  for (const form of [secretText, Buffer.from(secretText).toString('base64'), encodeURIComponent(secretText), JSON.stringify(secretText).slice(1, -1)]) {
    if (form) out = out.split(form).join('[secret]');
  }
  return out;
}
