/**
 * Who the playground lets you be, and which conversations each person sees: their 1:1 chat with
 * the bot, the General channel of each team they are in, and the group chats they belong to. All
 * of it comes from the demo organisation, so the bot, Graph and the Bot Connector agree on it.
 */
import { DEMO_GROUPS, DEMO_TEAMS, DEMO_TEAMS_APP, DEMO_TENANT_ID, DEMO_USERS, userBySlug, type DemoUser } from '../seed/demo-org';
import { personalChatId } from '../standins/graph-teamwork';

export type PlaygroundRole = 'developer' | 'manager' | 'on-call' | 'platform' | 'joiner' | 'contractor' | 'left';

export interface PlaygroundPerson {
  aadObjectId: string;
  teamsId: string;
  name: string;
  userPrincipalName: string;
  jobTitle: string;
  role: PlaygroundRole;
  /** Why the role: what the bot will let this person do, in a few words. */
  roleHint: string;
  /** What this person might ask first: one tap in the compose area. */
  suggestions: string[];
}

export interface PlaygroundConversation {
  id: string;
  kind: 'personal' | 'channel' | 'groupChat';
  title: string;
  /** Entra object ids of the people who see it. */
  memberIds: string[];
  /** Channels: the team, as Teams puts it in channelData. */
  team?: { id: string; name: string; aadGroupId: string };
}

/** The bot as Teams addresses it: `28:<app id>` (the sandbox's app id is the demo catalog app's). */
export const PLAYGROUND_BOT = { id: `28:${DEMO_TEAMS_APP.externalId}`, name: 'IDP bot', appId: DEMO_TEAMS_APP.externalId } as const;
export const PLAYGROUND_TENANT_ID = DEMO_TENANT_ID;

/** One seeded group chat: an incident where a developer, their manager and on-call talk to the bot. */
export const INCIDENT_GROUP_CHAT = {
  id: '19:playground-incident@thread.v2',
  title: 'Checkout incident',
  memberSlugs: ['alice', 'bob', 'grace'],
} as const;

const inGroup = (name: string, userId: string) => DEMO_GROUPS.some((g) => g.displayName === name && g.memberIds.includes(userId));

function roleOf(user: DemoUser): Pick<PlaygroundPerson, 'role' | 'roleHint'> {
  if (user.accountEnabled === false) return { role: 'left', roleHint: 'account disabled: the bot refuses changes' };
  if (inGroup('platform-engineers', user.id)) return { role: 'platform', roleHint: 'may act for any team, sees platform reports' };
  if (inGroup('oncall-sre', user.id)) return { role: 'on-call', roleHint: 'asks who owns what, at 2 AM' };
  if (DEMO_TEAMS.some((t) => t.managerId === user.id)) return { role: 'manager', roleHint: 'approves onboarding and production secrets' };
  if (!user.managerId) return { role: 'contractor', roleHint: 'no manager: onboarding goes to the team lead' };
  if (/joining/i.test(user.jobTitle) || user.id === userBySlug('henry').id) return { role: 'joiner', roleHint: 'someone to onboard' };
  return { role: 'developer', roleHint: 'creates repositories, pipelines and secrets' };
}

const SUGGESTIONS: Record<PlaygroundRole, string[]> = {
  developer: ['who owns payments-api?', 'create repo', 'onboard', 'create secret service=payments-api env=dev name=db-password', 'add pipeline to payments-web', 'help'],
  manager: ['help', 'who is in team-payments', 'what does team-payments own', 'catalog health team-payments'],
  'on-call': ['who is on call for payments-api?', 'who depends on payments-api', 'who owns https://grafana.contoso.example/d/payments-overview', 'help'],
  platform: ['catalog health', 'platform metrics', 'onboard', 'search payments', 'help'],
  joiner: ['help', 'who is in team-payments'],
  contractor: ['help', 'who owns search-indexer?'],
  left: ['help'],
};

export function playgroundPeople(): PlaygroundPerson[] {
  return DEMO_USERS.map((u) => {
    const role = roleOf(u);
    return { aadObjectId: u.id, teamsId: u.teamsId, name: u.displayName, userPrincipalName: u.userPrincipalName, jobTitle: u.jobTitle, ...role, suggestions: SUGGESTIONS[role.role] };
  });
}

/** The bot's 1:1 chat with a person: the chat Teams opens when the app is installed for them. */
export const personalConversationId = (userId: string): string => personalChatId(PLAYGROUND_BOT.appId, userId);

export function playgroundConversations(): PlaygroundConversation[] {
  const personal = DEMO_USERS.map((u): PlaygroundConversation => ({ id: personalConversationId(u.id), kind: 'personal', title: PLAYGROUND_BOT.name, memberIds: [u.id] }));
  const channels = DEMO_TEAMS.map((t): PlaygroundConversation => ({
    id: t.channelId,
    kind: 'channel',
    title: `${t.displayName} › General`,
    memberIds: [...t.memberIds],
    team: { id: t.channelId, name: t.displayName, aadGroupId: t.id },
  }));
  const group: PlaygroundConversation = { id: INCIDENT_GROUP_CHAT.id, kind: 'groupChat', title: INCIDENT_GROUP_CHAT.title, memberIds: INCIDENT_GROUP_CHAT.memberSlugs.map((s) => userBySlug(s).id) };
  return [...personal, ...channels, group];
}
