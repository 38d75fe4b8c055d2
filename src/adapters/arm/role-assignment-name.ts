/**
 * The deterministic name of a role assignment: a name-based (version 5, SHA-1) UUID, RFC 9562
 * section 5.5, so the same (scope, role, principal) always PUTs to the same ARM resource and a retry
 * or a second replica cannot create a duplicate. Namespace: the RFC's URL namespace
 * (6ba7b811-9dad-11d1-80b4-00c04fd430c8); name: `https://management.azure.com<scope>?role=<role guid>&principal=<object id>`,
 * all lower-case because ARM ids are case-insensitive. Changing either changes every name the bot
 * ever made (old assignments would then answer 409 RoleAssignmentExists, which ensure() accepts).
 */
import { createHash } from 'node:crypto';

export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function roleAssignmentName(scope: string, roleDefinitionId: string, principalId: string): string {
  const name = `https://management.azure.com${normalizeScope(scope)}?role=${roleDefinitionId.toLowerCase()}&principal=${principalId.toLowerCase()}`;
  return uuidV5(name, URL_NAMESPACE);
}

/** Lower-case, no trailing slash: how two spellings of one ARM scope compare equal. */
export const normalizeScope = (scope: string): string => scope.trim().replace(/\/+$/, '').toLowerCase();
