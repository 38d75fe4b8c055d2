/**
 * Where an owning team's digest goes: the team's Teams channel when the bot was installed in that
 * team (found by the Group's Entra id, or by the team named in its channel link), else each member
 * 1:1 where the bot has a personal chat with them (members it cannot reach are counted, not lost
 * silently). A User that owns entities gets it 1:1.
 */
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import type { ConversationDirectory } from '../conversations/conversations.port';
import type { StoredConversation } from '../conversations/conversations.types';
import { parseTeamsChannelUrl } from './teams-channel-link';

export type DigestRecipients =
  | { via: 'channel'; conversations: [StoredConversation] }
  | { via: 'members'; conversations: StoredConversation[]; unreachable: number }
  /** Not a Group or User in the catalog, or nobody to reach. */
  | { via: 'nobody'; reason: string };

export class DigestRecipientResolver {
  constructor(
    private readonly deps: { catalog: Pick<CatalogStore, 'getMany'>; conversations: ConversationDirectory },
  ) {}

  async resolve(team: CatalogEntity | null): Promise<DigestRecipients> {
    if (!team || team.status !== 'active') return { via: 'nobody', reason: 'the owner is not an active Group or User in the catalog' };
    if (team.kind === 'Group') {
      const channel = await this.teamChannel(team);
      if (channel) return { via: 'channel', conversations: [channel] };
    }
    const people = team.kind === 'User' ? [team] : team.kind === 'Group' ? await this.members(team) : [];
    const ids = [...new Set(people.map((u) => u.profile?.aadObjectId?.toLowerCase()).filter((id): id is string => Boolean(id)))];
    const found = await Promise.all(ids.map((id) => this.deps.conversations.findByAadObjectId(id)));
    const conversations = found.filter((c): c is StoredConversation => c !== null);
    const unreachable = people.length - conversations.length;
    if (!conversations.length) return { via: 'nobody', reason: `no team channel recorded and none of its ${people.length} member(s) has a chat with the bot` };
    return { via: 'members', conversations, unreachable };
  }

  private async teamChannel(team: CatalogEntity): Promise<StoredConversation | null> {
    const aadGroupId = team.profile?.aadObjectId;
    if (aadGroupId) {
      const byGroup = await this.deps.conversations.findTeamChannel({ aadGroupId });
      if (byGroup) return byGroup;
    }
    const link = parseTeamsChannelUrl(team.contacts.teamsChannelUrl);
    if (!link) return null;
    return this.deps.conversations.findTeamChannel({ teamId: link.channelId, ...(link.groupId ? { aadGroupId: link.groupId } : {}) });
  }

  private async members(team: CatalogEntity): Promise<CatalogEntity[]> {
    const users = await this.deps.catalog.getMany(team.members.filter((ref) => ref.startsWith('user:')));
    return users.filter((u) => u.status === 'active');
  }
}
