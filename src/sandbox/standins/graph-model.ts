/**
 * What the Graph stand-in holds (users, groups, teams, sent mail), the property lists Graph
 * documents for users and groups, and the seed from the demo organisation.
 */
import { createHash } from 'node:crypto';
import { DEMO_DOMAIN, DEMO_GROUPS, DEMO_TEAMS, DEMO_USERS } from '../seed/demo-org';

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  mailNickname: string;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string | null;
  usageLocation: string | null;
  accountEnabled: boolean;
  employeeHireDate: string | null;
  createdDateTime: string;
  managerId?: string;
}

export interface GraphChannel {
  id: string;
  displayName: string;
  description: string | null;
  membershipType: 'standard' | 'private' | 'shared';
  createdDateTime: string;
  /** Private and shared channels only: their own members (a standard channel's are the team's). */
  memberIds: string[];
}

export interface GraphGroup {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  /** ['Team'] when the group is a Teams team. */
  resourceProvisioningOptions: string[];
  visibility: string | null;
  createdDateTime: string;
  /** Users or groups (nested). */
  memberIds: string[];
  ownerIds: string[];
  channels: GraphChannel[];
}

export interface SentMail {
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  contentType: string;
  content: string;
  saveToSentItems: boolean;
  at: string;
}

export const USER_PROPS = [
  'id', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'mail', 'mailNickname', 'jobTitle', 'department',
  'officeLocation', 'mobilePhone', 'businessPhones', 'preferredLanguage', 'usageLocation', 'accountEnabled',
  'employeeHireDate', 'createdDateTime',
] as const;
/** What Graph returns for a user without $select. */
export const USER_DEFAULT_PROPS = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage',
  'surname', 'userPrincipalName', 'id',
] as const;
export const USER_FILTER_PROPS = [
  'id', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'mail', 'mailNickname', 'jobTitle', 'department',
  'accountEnabled', 'employeeHireDate', 'usageLocation',
] as const;
/** What `$search` and `$orderby` accept on users and groups. */
export const USER_SEARCH_PROPS = ['displayName', 'userPrincipalName', 'mail', 'givenName', 'surname', 'mailNickname', 'jobTitle'] as const;
export const GROUP_SEARCH_PROPS = ['displayName', 'description', 'mail', 'mailNickname'] as const;
export const ORDER_PROPS = ['displayName', 'userPrincipalName', 'mail'] as const;
export const GROUP_PROPS = [
  'id', 'displayName', 'description', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled', 'groupTypes',
  'resourceProvisioningOptions', 'visibility', 'createdDateTime',
] as const;
export const GROUP_FILTER_PROPS = ['id', 'displayName', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled', 'groupTypes', 'resourceProvisioningOptions'] as const;

const SEEDED_AT = '2024-01-15T09:00:00Z';

export function seedUsers(): GraphUser[] {
  return DEMO_USERS.map((u) => {
    const [givenName, ...rest] = u.displayName.split(' ');
    const team = DEMO_TEAMS.find((t) => t.memberIds.includes(u.id));
    return {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName,
      givenName,
      surname: rest.join(' ') || null,
      mail: u.userPrincipalName,
      mailNickname: u.userPrincipalName.split('@')[0],
      jobTitle: u.jobTitle,
      department: team?.displayName ?? null,
      officeLocation: null,
      mobilePhone: null,
      businessPhones: [],
      preferredLanguage: 'en-GB',
      usageLocation: 'GB',
      accountEnabled: u.accountEnabled ?? true,
      employeeHireDate: null,
      createdDateTime: SEEDED_AT,
      managerId: u.managerId,
    };
  });
}

export function seedGroups(): GraphGroup[] {
  const teams: GraphGroup[] = DEMO_TEAMS.map((t) => ({
    id: t.id,
    displayName: t.displayName,
    description: t.description,
    mail: t.email,
    mailNickname: t.email.split('@')[0],
    mailEnabled: true,
    securityEnabled: false,
    groupTypes: ['Unified'],
    resourceProvisioningOptions: ['Team'],
    visibility: 'Private',
    createdDateTime: SEEDED_AT,
    memberIds: [...t.memberIds],
    ownerIds: [t.managerId],
    channels: [
      { id: t.channelId, displayName: 'General', description: `${t.displayName} general channel`, membershipType: 'standard', createdDateTime: SEEDED_AT, memberIds: [] },
      ...t.channels.map((c) => ({ id: c.id, displayName: c.displayName, description: null, membershipType: c.membershipType, createdDateTime: SEEDED_AT, memberIds: c.membershipType === 'standard' ? [] : [...c.memberIds] })),
    ],
  }));
  const groups: GraphGroup[] = DEMO_GROUPS.map((g) => ({
    id: g.id,
    displayName: g.displayName,
    description: null,
    mail: null,
    mailNickname: g.displayName,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    resourceProvisioningOptions: [],
    visibility: null,
    createdDateTime: SEEDED_AT,
    memberIds: [...g.memberIds],
    ownerIds: [],
    channels: [],
  }));
  return [...teams, ...groups];
}

export const DEFAULT_GRAPH_DOMAINS = [DEMO_DOMAIN];

/** A conversationMember id: stable per team and user, opaque like Graph's. */
export const membershipId = (teamId: string, userId: string) => Buffer.from(`0#${teamId}##${userId}`).toString('base64');

/** A private or shared channel's conversationMember id: stable per channel and user, unlike the team's. */
export const channelMembershipId = (channelId: string, userId: string) => Buffer.from(`1#${channelId}##${userId}`).toString('base64');

/** Channel ids look like Teams thread ids. */
export const newChannelId = (teamId: string, name: string) =>
  `19:${createHash('sha256').update(`${teamId}/${name}/${Date.now()}`).digest('hex').slice(0, 32)}@thread.tacv2`;
