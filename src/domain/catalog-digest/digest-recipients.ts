/**
 * Where an owning team's digest goes: the team's Teams channel when the bot was installed in that
 * team (found by the Group's Entra id, or by the team named in its channel link), else each member
 * 1:1 where the bot has a personal chat with them (members it cannot reach are counted, not lost
 * silently). A User that owns entities gets it 1:1.
 *
 * When the Group's channel link names a channel other than General of a team the bot is in, that
 * channel comes first, then the team's General channel: the service tries them in order and falls
 * back to the members when Teams refuses them for good (the bot was removed from the team).
 */
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import type { ConversationDirectory } from '../conversations/conversations.port';
import { teamChannelKey, type StoredConversation } from '../conversations/conversations.types';
import { parseTeamsChannelUrl, type TeamsChannelLink } from './teams-channel-link';

export type MemberRecipients =
  | { via: 'members'; conversations: StoredConversation[]; unreachable: number }
  /** Not a Group or User in the catalog, or nobody to reach. */
  | { via: 'nobody'; reason: string };

export type DigestRecipients =
  /** The channels to try, in order (the channel the Group's link names, then the team's General); one of them gets the card. */
  | { via: 'channel'; conversations: StoredConversation[] }
  | MemberRecipients;

export class DigestRecipientResolver {
  constructor(
    private readonly deps: { catalog: Pick<CatalogStore, 'getMany'>; conversations: ConversationDirectory },
  ) {}

  async resolve(team: CatalogEntity | null): Promise<DigestRecipients> {
    if (team?.kind === 'Group' && team.status === 'active') {
      const channels = await this.teamChannels(team);
      if (channels.length) return { via: 'channel', conversations: channels };
    }
    return this.members(team);
  }

  /** The team's members 1:1 (or the User itself): where the digest goes without a channel that takes it. */
  async members(team: CatalogEntity | null): Promise<MemberRecipients> {
    if (!team || team.status !== 'active') return { via: 'nobody', reason: 'the owner is not an active Group or User in the catalog' };
    const people = team.kind === 'User' ? [team] : team.kind === 'Group' ? await this.groupMembers(team) : [];
    const ids = [...new Set(people.map((u) => u.profile?.aadObjectId?.toLowerCase()).filter((id): id is string => Boolean(id)))];
    const found = await Promise.all(ids.map((id) => this.deps.conversations.findByAadObjectId(id)));
    const conversations = found.filter((c): c is StoredConversation => c !== null);
    const unreachable = people.length - conversations.length;
    if (!conversations.length) return { via: 'nobody', reason: `no team channel takes it and none of its ${people.length} member(s) has a chat with the bot` };
    return { via: 'members', conversations, unreachable };
  }

  /**
   * Teams refused a channel for good: a stored General channel is forgotten (the team is reached 1:1
   * until the bot is added again); a channel named by a link was never stored. True when one was forgotten.
   */
  async forget(channel: StoredConversation): Promise<boolean> {
    if (!channel.teamId || channel.key !== teamChannelKey(channel.teamId)) return false;
    return this.deps.conversations.removeTeamChannel(channel.teamId);
  }

  private async teamChannels(team: CatalogEntity): Promise<StoredConversation[]> {
    const aadGroupId = team.profile?.aadObjectId;
    const byGroup = aadGroupId ? await this.deps.conversations.findTeamChannel({ aadGroupId }) : null;
    const link = parseTeamsChannelUrl(team.contacts.teamsChannelUrl);
    const linkTeam = link ? await this.deps.conversations.findTeamChannel({ teamId: link.channelId, ...(link.groupId ? { aadGroupId: link.groupId } : {}) }) : null;
    const named = link && linkTeam && link.channelId !== linkTeam.teamId ? inChannel(linkTeam, link) : null;
    const general = byGroup ?? linkTeam;
    return [named, general].filter((c): c is StoredConversation => c !== null);
  }

  private async groupMembers(team: CatalogEntity): Promise<CatalogEntity[]> {
    const users = await this.deps.catalog.getMany(team.members.filter((ref) => ref.startsWith('user:')));
    return users.filter((u) => u.status === 'active');
  }
}

/**
 * Another channel of a team the bot is in: addressed like the General channel (same service URL,
 * tenant and bot), with the channel id as the conversation id, as Teams posts a new thread there.
 */
function inChannel(general: StoredConversation, link: TeamsChannelLink): StoredConversation {
  const reference = general.reference as { conversation?: Record<string, unknown> };
  return {
    key: `channel:${link.channelId}`,
    conversationId: link.channelId,
    conversationType: 'channel',
    ...(general.tenantId ? { tenantId: general.tenantId } : {}),
    serviceUrl: general.serviceUrl,
    ...(general.teamId ? { teamId: general.teamId } : {}),
    ...(general.aadGroupId ? { aadGroupId: general.aadGroupId } : {}),
    reference: { ...general.reference, conversation: { ...(reference.conversation ?? {}), id: link.channelId, name: link.name ?? '' } },
  };
}
