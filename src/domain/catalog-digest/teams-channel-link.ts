/**
 * A Teams channel deep link, as a catalog Group's `idp.dev/teams-channel-url` annotation holds it:
 * `https://teams.microsoft.com/l/channel/<channel id, URL-encoded>/<name>?groupId=<team's Entra group>&tenantId=...`.
 * The General channel's id is the team id, which is what the bot records at install.
 */
export interface TeamsChannelLink {
  channelId: string;
  /** The team's Entra group id, lower case. */
  groupId?: string;
  /** The channel's display name as the link spells it. */
  name?: string;
}

export function parseTeamsChannelUrl(url: string | undefined): TeamsChannelLink | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname.toLowerCase() !== 'teams.microsoft.com') return null;
  const m = /^\/l\/channel\/([^/]+)(?:\/([^/]*))?/.exec(parsed.pathname);
  if (!m) return null;
  let channelId: string;
  let name: string | undefined;
  try {
    channelId = decodeURIComponent(m[1]!);
    name = m[2] ? decodeURIComponent(m[2]) : undefined;
  } catch {
    return null;
  }
  const groupId = parsed.searchParams.get('groupId')?.trim().toLowerCase();
  return { channelId, ...(groupId ? { groupId } : {}), ...(name ? { name } : {}) };
}
