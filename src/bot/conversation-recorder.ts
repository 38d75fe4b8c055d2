import { TurnContext } from 'botbuilder';
import { BoundedMap } from './bounded-map';
import type { ConversationDirectory } from '../domain/conversations/conversations.port';
import { teamChannelKey, type StoredConversation } from '../domain/conversations/conversations.types';

const CACHE_LIMIT = 10_000;

/**
 * Stores the conversation reference of every conversation the bot sees, for proactive messages.
 * A per-process cache skips the write when nothing changed (the store stays the source of truth;
 * a new replica simply writes once more).
 */
export class ConversationRecorder {
  private readonly seen = new BoundedMap<string, string>(CACHE_LIMIT);

  /**
   * `onPersonalChat` hears of each personal chat recorded (a person's first message here since
   * this replica started, or the bot installed for them): e.g. onboarding delivers a welcome that
   * waited for them. Its failure is logged, never the turn's.
   */
  constructor(
    private readonly directory: ConversationDirectory,
    private readonly onPersonalChat: ((aadObjectId: string) => Promise<void>)[] = [],
    private readonly log?: { warn(obj: object, msg?: string): void },
  ) {}

  async record(turn: TurnContext): Promise<void> {
    const a = turn.activity;
    if (!a.conversation?.id || !a.serviceUrl) return;
    const removedFrom = teamRemovalOf(a);
    if (removedFrom) {
      // The bot can no longer post there: the team's digests go to its members 1:1 until it is added again.
      await this.directory.removeTeamChannel(removedFrom.teamId);
      return;
    }
    await this.recordTeamInstall(turn);
    const type = normalizeType(a.conversation.conversationType);
    const key = type === 'personal' ? `user:${a.from?.aadObjectId ?? a.from?.id}` : `conversation:${a.conversation.id}`;
    const fingerprint = `${a.conversation.id}|${a.serviceUrl}`;
    if (this.seen.get(key) === fingerprint) return;

    const reference = TurnContext.getConversationReference(a);
    const stored: StoredConversation = {
      key,
      conversationId: a.conversation.id,
      conversationType: type,
      userId: type === 'personal' ? a.from?.id : undefined,
      aadObjectId: type === 'personal' ? a.from?.aadObjectId : undefined,
      tenantId: a.conversation.tenantId,
      serviceUrl: a.serviceUrl,
      reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    };
    await this.directory.save(stored);
    this.seen.set(key, fingerprint);
    if (type === 'personal' && stored.aadObjectId) {
      for (const listener of this.onPersonalChat) await listener(stored.aadObjectId).catch((err: unknown) => this.log?.warn({ err, activityId: a.id }, 'personal chat listener failed'));
    }
  }

  private async recordTeamInstall(turn: TurnContext): Promise<void> {
    const a = turn.activity;
    const install = teamInstallOf(a);
    if (!install) return;
    // The General channel, not the thread the event came from (a reply chain's `;messageid=`).
    const reference = TurnContext.getConversationReference(a);
    reference.conversation = { ...reference.conversation, id: install.teamId, isGroup: true, conversationType: 'channel', name: install.name ?? '' };
    delete reference.activityId;
    await this.directory.save({
      key: teamChannelKey(install.teamId),
      conversationId: install.teamId,
      conversationType: 'channel',
      tenantId: a.conversation.tenantId,
      serviceUrl: a.serviceUrl,
      teamId: install.teamId,
      ...(install.aadGroupId ? { aadGroupId: install.aadGroupId } : {}),
      reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
    });
  }
}

/**
 * The bot added to a Teams team (conversationUpdate with the bot among membersAdded, or
 * installationUpdate "add"): the team's General channel, whose conversation id is the team id, is
 * where the team's digests go. Stored with the team's Entra group id, which catalog Groups name.
 */
export function teamInstallOf(a: TurnContext['activity']): { teamId: string; aadGroupId?: string; name?: string } | null {
  const team = (a.channelData as { team?: { id?: unknown; aadGroupId?: unknown; name?: unknown } } | undefined)?.team;
  if (!team || typeof team.id !== 'string' || !team.id) return null;
  const botAdded = a.type === 'conversationUpdate' && (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id);
  const installed = a.type === 'installationUpdate' && typeof a.action === 'string' && a.action.startsWith('add');
  if (!botAdded && !installed) return null;
  return { teamId: team.id, ...(typeof team.aadGroupId === 'string' && team.aadGroupId ? { aadGroupId: team.aadGroupId.toLowerCase() } : {}), ...(typeof team.name === 'string' ? { name: team.name } : {}) };
}

/**
 * The bot removed from a Teams team (conversationUpdate with the bot among membersRemoved, eventType
 * teamMemberRemoved; installationUpdate "remove"; or the team deleted): the team whose stored
 * General channel must be forgotten.
 */
export function teamRemovalOf(a: TurnContext['activity']): { teamId: string } | null {
  const channelData = a.channelData as { eventType?: unknown; team?: { id?: unknown } } | undefined;
  const teamId = channelData?.team?.id;
  if (typeof teamId !== 'string' || !teamId) return null;
  const botRemoved = a.type === 'conversationUpdate' && ((a.membersRemoved ?? []).some((m) => m.id === a.recipient?.id) || channelData?.eventType === 'teamDeleted');
  const uninstalled = a.type === 'installationUpdate' && typeof a.action === 'string' && a.action.startsWith('remove');
  return botRemoved || uninstalled ? { teamId } : null;
}

function normalizeType(type: string | undefined): StoredConversation['conversationType'] {
  if (type === 'personal' || type === 'groupChat' || type === 'channel') return type;
  return type ? 'unknown' : 'personal'; // the Emulator and Web Chat send no type: a 1:1 chat
}
