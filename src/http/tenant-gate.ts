/**
 * The tenant allow-list (ALLOWED_TENANT_IDS), applied at the HTTP edge: an activity from another
 * tenant is answered 403 before any turn starts, so no bot code, state or audit runs for it.
 */
import type { Activity } from 'botbuilder';

/** Teams puts the tenant on the conversation and in channelData; either will do. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromConversation = (activity.conversation as { tenantId?: unknown } | undefined)?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation) return fromConversation;
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return typeof fromChannelData === 'string' && fromChannelData ? fromChannelData : undefined;
}

/** Empty list: any tenant. */
export function tenantAllowed(activity: Partial<Activity>, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const tenant = tenantOf(activity);
  return tenant !== undefined && allowed.includes(tenant);
}
