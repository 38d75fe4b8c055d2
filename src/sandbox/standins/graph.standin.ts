/**
 * Stand-in for Microsoft Graph v1.0 (directory and Teams parts the bot uses), seeded from the demo
 * organisation. https only: @microsoft/microsoft-graph-client attaches the token only to https
 * hosts listed in `customHosts`. Tokens are verified with the Entra stand-in (audience
 * https://graph.microsoft.com) and application permissions (`roles`) are checked per route, so a
 * missing permission gives the 403 the real service gives. Errors use Graph's shape:
 * `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`.
 *
 *   /v1.0/users (GET $filter $select $top, POST), /users/{id|upn} (GET, PATCH), /manager (GET, PUT $ref),
 *   /memberOf, /transitiveMemberOf (+ /microsoft.graph.group), /joinedTeams, /sendMail
 *   /v1.0/groups (GET $filter), /groups/{id}, /members (+ cast, POST $ref, DELETE {id}/$ref),
 *   /transitiveMembers, /owners
 *   /v1.0/teams/{id}, /channels (GET, POST), /channels/{id}, /members (GET, POST)
 *   memberships (graph-memberships block): /teams/{id}/members/{membershipId} (GET, DELETE), $filter on
 *   members, /teams/{id}/channels/{channelId}/members (GET, POST) and /members/{membershipId} (GET, DELETE)
 *   /v1.0/$batch (graph-batch.ts); replicationDelay() for the 404 Graph gives while it replicates
 *   /v1.0/appCatalogs/teamsApps, /users/{id}/teamwork/installedApps (+ /{id}, /{id}/chat): graph-teamwork.ts
 *   workload identities (graph-service-principals block): /v1.0/servicePrincipals (GET $filter=appId eq '...', $select),
 *   /servicePrincipals/{id}; seeded from DEMO_WORKLOADS
 */
import { randomUUID } from 'node:crypto';
import { json, StandInServer, type StandInRequest, type StandInResponse } from './standin-server';
import type { EntraIdStandIn } from './entra-id.standin';
import { StateFile } from './state-file';
import { runBatch } from './graph-batch';
import { TeamsAppInstallations, type TeamworkSaved } from './graph-teamwork';
import { DEMO_WORKLOADS } from '../seed/demo-org';
import { ODataError, orderRows, pageOf, parseFilter, parseSearch, project, skipTokenFor, type Row } from './graph-odata';
import {
  DEFAULT_GRAPH_DOMAINS,
  GROUP_FILTER_PROPS,
  GROUP_PROPS,
  channelMembershipId,
  GROUP_SEARCH_PROPS,
  membershipId,
  newChannelId,
  ORDER_PROPS,
  seedGroups,
  seedUsers,
  USER_DEFAULT_PROPS,
  USER_FILTER_PROPS,
  USER_PROPS,
  USER_SEARCH_PROPS,
  type GraphChannel,
  type GraphGroup,
  type GraphUser,
  type SentMail,
} from './graph-model';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const GRAPH_APP_ID_URI = '00000003-0000-0000-c000-000000000000';
const SAVED_FORMAT = 'idp-sandbox-graph/1';

const DIRECTORY_READ = ['Directory.Read.All', 'Directory.ReadWrite.All'];
const P = {
  userRead: ['User.Read.All', 'User.ReadWrite.All', ...DIRECTORY_READ],
  userWrite: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  groupRead: ['GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', ...DIRECTORY_READ],
  groupWrite: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  teamRead: ['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All', ...DIRECTORY_READ],
  channelRead: ['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All'],
  channelCreate: ['Channel.Create'],
  teamMemberRead: ['TeamMember.Read.All', 'TeamMember.ReadWrite.All'],
  teamMemberWrite: ['TeamMember.ReadWrite.All'],
  channelMemberRead: ['ChannelMember.Read.All', 'ChannelMember.ReadWrite.All'],
  channelMemberWrite: ['ChannelMember.ReadWrite.All'],
  mailSend: ['Mail.Send'],
  servicePrincipalRead: ['Application.Read.All', 'Application.ReadWrite.All', ...DIRECTORY_READ],
};

/** The application permissions the sandbox's bot identity is granted: enough for every route here. */
export const GRAPH_APP_ROLES = [
  'User.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'Team.ReadBasic.All',
  'Channel.ReadBasic.All',
  'Channel.Create',
  'TeamMember.ReadWrite.All',
  'ChannelMember.ReadWrite.All',
  'Mail.Send',
  'AppCatalog.Read.All',
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
  'Application.Read.All',
];

export interface GraphStandInOptions {
  entra: EntraIdStandIn;
  tls: { key: string; cert: string };
  /** Verified domains a new user's UPN may use. Default: the demo domain. */
  domains?: string[];
  /** Start empty instead of with the demo organisation. */
  empty?: boolean;
}

type Handler = (req: StandInRequest) => StandInResponse;
type Kind = 'user' | 'group';

export class GraphStandIn extends StandInServer {
  readonly users = new Map<string, GraphUser>();
  readonly groups = new Map<string, GraphGroup>();
  readonly sentMail: SentMail[] = [];
  /** Service principals by object id (workload identities: managed identities and app registrations). */
  readonly servicePrincipals = new Map<string, GraphServicePrincipal>();
  /** The Teams app catalog and per-user installations (graph-teamwork.ts). */
  readonly teamwork: TeamsAppInstallations;
  private readonly entra: EntraIdStandIn;
  private readonly domains: string[];
  private readonly seeded: boolean;

  constructor(options: GraphStandInOptions) {
    super('graph', options.tls, () => this.state());
    this.entra = options.entra;
    this.domains = (options.domains ?? DEFAULT_GRAPH_DOMAINS).map((d) => d.toLowerCase());
    this.seeded = !options.empty;
    this.teamwork = new TeamsAppInstallations({
      on: (method, path, anyOf, handler) => this.on(method, path, anyOf, handler),
      findUser: (idOrUpn) => this.findUser(idOrUpn),
      error: graphError,
      headers: (req) => this.headers(req),
      context: (what) => this.context(what),
      tenantId: this.entra.tenantId,
    });
    this.reset();
    this.userRoutes();
    this.groupRoutes();
    this.teamRoutes();
    this.membershipRoutes();
    this.batchRoute();
    this.servicePrincipalRoutes();
    this.teamwork.register();
  }

  /** Back to the seed (the demo organisation, or empty), forgetting sent mail. */
  reset(): void {
    this.users.clear();
    this.groups.clear();
    this.sentMail.length = 0;
    this.servicePrincipals.clear();
    this.teamwork.reset(!this.seeded);
    if (this.seeded) {
      for (const u of seedUsers()) this.users.set(u.id, u);
      for (const g of seedGroups()) this.groups.set(g.id, g);
      for (const sp of seedServicePrincipals()) this.servicePrincipals.set(sp.id, sp);
    }
    this.saveState();
  }

  /** Keeps users, groups (members, owners, channels) and sent mail in `file`; true when an earlier run's state replaced the seed. */
  keepStateIn(file: string): boolean {
    return this.persistIn(
      new StateFile(file),
      () => ({ format: SAVED_FORMAT, users: [...this.users.values()], groups: [...this.groups.values()], sentMail: this.sentMail, teamwork: this.teamwork.dump(), servicePrincipals: [...this.servicePrincipals.values()] }),
      (raw) => {
        const saved = raw as { format: string; users: GraphUser[]; groups: GraphGroup[]; sentMail: SentMail[]; teamwork?: TeamworkSaved; servicePrincipals?: GraphServicePrincipal[] };
        if (saved.format !== SAVED_FORMAT) throw new Error(`Not a Graph stand-in state file (${saved.format})`);
        this.users.clear();
        this.groups.clear();
        for (const u of saved.users) this.users.set(u.id, u);
        // State saved before channels kept their own members has none: start them empty.
        for (const g of saved.groups) this.groups.set(g.id, { ...g, channels: g.channels.map((c) => ({ ...c, memberIds: c.memberIds ?? [] })) });
        this.sentMail.splice(0, this.sentMail.length, ...saved.sentMail);
        // A file from before the app catalog existed keeps the seeded catalog and installations.
        if (saved.teamwork) this.teamwork.restore(saved.teamwork);
        // Likewise a file from before workload identities keeps the seeded service principals.
        if (saved.servicePrincipals) {
          this.servicePrincipals.clear();
          for (const sp of saved.servicePrincipals) this.servicePrincipals.set(sp.id, sp);
        }
      },
    );
  }

  /** Adds a security group (default) or any group shape; members may be users or groups. */
  addGroup(group: Pick<GraphGroup, 'id' | 'displayName'> & Partial<GraphGroup>): GraphGroup {
    const full: GraphGroup = {
      description: null,
      mail: null,
      mailNickname: group.displayName.replace(/[^A-Za-z0-9-]/g, '').toLowerCase() || group.id,
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      resourceProvisioningOptions: [],
      visibility: null,
      createdDateTime: new Date().toISOString(),
      memberIds: [],
      ownerIds: [],
      channels: [],
      ...group,
    };
    this.groups.set(full.id, full);
    return full;
  }

  /** Adds a workload identity's service principal (a managed identity unless said otherwise). */
  addServicePrincipal(sp: Pick<GraphServicePrincipal, 'id' | 'appId' | 'displayName'> & Partial<GraphServicePrincipal>): GraphServicePrincipal {
    const full: GraphServicePrincipal = { accountEnabled: true, servicePrincipalType: 'ManagedIdentity', alternativeNames: [], ...sp };
    this.servicePrincipals.set(full.id, full);
    this.saveState();
    return full;
  }

  /** What a directory object id is, for Azure RBAC (the ARM stand-in asks): undefined when the directory has no such object. */
  directoryObjectType(id: string): 'User' | 'Group' | 'ServicePrincipal' | undefined {
    const key = id.toLowerCase();
    const has = (m: Map<string, unknown>) => m.has(id) || [...m.keys()].some((k) => k.toLowerCase() === key);
    if (has(this.users)) return 'User';
    if (has(this.groups)) return 'Group';
    return has(this.servicePrincipals) ? 'ServicePrincipal' : undefined;
  }

  /**
   * The 404 Graph answers while a just-created team or membership replicates: the next `requests`
   * requests matching `path` (a regular expression on the path, e.g. `/channels/.+/members$`) and
   * `method` answer 404 NotFound, directly or inside a $batch; then the route answers again.
   */
  replicationDelay(options: { path: string; requests: number; method?: string }): void {
    this.addFault({ kind: 'status', status: 404, path: options.path, method: options.method ?? 'POST', times: options.requests });
  }

  protected override faultBody(status: number): unknown {
    const code = status === 429 ? 'TooManyRequests' : status >= 500 ? 'ServiceUnavailable' : status === 404 ? 'NotFound' : 'InjectedFault';
    return { error: { code, message: `Injected fault ${status}`, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': randomUUID() } } };
  }

  protected override redactForLog(method: string, path: string, body: unknown): unknown {
    // New users carry an initial password.
    if (method === 'POST' && /^\/v1\.0\/users\/?$/i.test(path) && body && typeof body === 'object' && 'passwordProfile' in body) {
      return { ...(body as Record<string, unknown>), passwordProfile: '[redacted]' };
    }
    return body;
  }

  private state() {
    return {
      users: [...this.users.values()].map((u) => ({ id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName, accountEnabled: u.accountEnabled, managerId: u.managerId ?? null })),
      groups: [...this.groups.values()].map((g) => ({
        id: g.id,
        displayName: g.displayName,
        isTeam: g.resourceProvisioningOptions.includes('Team'),
        memberIds: g.memberIds,
        ownerIds: g.ownerIds,
        channels: g.channels.map((c) => ({ id: c.id, displayName: c.displayName, membershipType: c.membershipType, memberIds: c.membershipType === 'standard' ? null : c.memberIds })),
      })),
      sentMail: this.sentMail.map((m) => ({ from: m.from, to: m.to, subject: m.subject, at: m.at })),
      teamwork: this.teamwork.state(),
      servicePrincipals: [...this.servicePrincipals.values()],
    };
  }

  // ---- routes -----------------------------------------------------------------------------

  private userRoutes(): void {
    this.on('GET', '/users', P.userRead, (req) => this.collection(req, '/users', 'users', this.userRows(), 'user'));
    this.on('POST', '/users', P.userWrite, (req) => this.createUser(req));
    this.on('GET', '/users/:id', P.userRead, (req) => this.withUser(req, (u) => this.single(req, 'users/$entity', this.userRow(u), 'user')));
    this.on('PATCH', '/users/:id', P.userWrite, (req) => this.withUser(req, (u) => this.patchUser(req, u)));
    this.on('GET', '/users/:id/manager', P.userRead, (req) =>
      this.withUser(req, (u) => {
        const manager = u.managerId ? this.users.get(u.managerId) : undefined;
        if (!manager) return notFound(req, 'manager');
        return this.single(req, 'directoryObjects/$entity', { '@odata.type': '#microsoft.graph.user', ...this.userRow(manager) }, 'user');
      }),
    );
    this.on('PUT', '/users/:id/manager/$ref', P.userWrite, (req) =>
      this.withUser(req, (u) => {
        const target = this.refTarget(req);
        if (!target || target.kind !== 'user') return graphError(req, 400, 'Request_BadRequest', 'Invalid object identifier in @odata.id.');
        u.managerId = target.id;
        return json(204);
      }),
    );
    for (const [rel, transitive] of [['memberOf', false], ['transitiveMemberOf', true]] as const) {
      for (const cast of ['', '/microsoft.graph.group']) {
        this.on('GET', `/users/:id/${rel}${cast}`, [...P.userRead, ...P.groupRead], (req) =>
          this.withUser(req, (u) => this.collection(req, `/users/${u.id}/${rel}${cast}`, 'groups', this.groupsContaining(u.id, transitive).map((g) => this.groupRow(g, true)), 'group')),
        );
      }
    }
    this.on('GET', '/users/:id/joinedTeams', P.teamRead, (req) =>
      this.withUser(req, (u) => {
        const teams = [...this.groups.values()].filter((g) => isTeam(g) && (g.memberIds.includes(u.id) || g.ownerIds.includes(u.id)));
        return json(200, { '@odata.context': this.context('teams'), value: teams.map((t) => this.teamRow(t)) }, this.headers(req));
      }),
    );
    this.on('POST', '/users/:id/sendMail', P.mailSend, (req) => this.withUser(req, (u) => this.sendMail(req, u)));
  }

  private groupRoutes(): void {
    this.on('GET', '/groups', P.groupRead, (req) => this.collection(req, '/groups', 'groups', [...this.groups.values()].map((g) => this.groupRow(g, false)), 'group'));
    this.on('GET', '/groups/:id', P.groupRead, (req) => this.withGroup(req, (g) => this.single(req, 'groups/$entity', this.groupRow(g, false), 'group')));
    for (const [rel, transitive] of [['members', false], ['transitiveMembers', true]] as const) {
      for (const cast of ['', '/microsoft.graph.user', '/microsoft.graph.group']) {
        this.on('GET', `/groups/:id/${rel}${cast}`, P.groupRead, (req) =>
          this.withGroup(req, (g) => {
            const kind = cast.endsWith('user') ? 'user' : cast.endsWith('group') ? 'group' : undefined;
            const rows = this.membersOf(g, transitive).filter((m) => !kind || m.kind === kind);
            return this.collection(req, `/groups/${g.id}/${rel}${cast}`, kind === 'group' ? 'groups' : kind === 'user' ? 'users' : 'directoryObjects', rows.map((m) => m.row), kind ?? 'directoryObject');
          }),
        );
      }
    }
    this.on('GET', '/groups/:id/owners', P.groupRead, (req) =>
      this.withGroup(req, (g) => this.collection(req, `/groups/${g.id}/owners`, 'directoryObjects', this.resolveIds(g.ownerIds).map((m) => m.row), 'directoryObject')),
    );
    this.on('POST', '/groups/:id/members/$ref', P.groupWrite, (req) =>
      this.withGroup(req, (g) => {
        const target = this.refTarget(req);
        if (!target) {
          const ref = String(asObject(req.body)['@odata.id'] ?? '');
          // A well-formed reference to no object is 404, a malformed one 400.
          if (/\/directoryObjects\/[0-9a-f-]{36}$/i.test(ref)) return notFound(req, ref.split('/').pop()!);
          return graphError(req, 400, 'Request_BadRequest', 'Invalid object identifier in @odata.id.');
        }
        if (g.memberIds.includes(target.id)) {
          return graphError(req, 400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'.");
        }
        g.memberIds.push(target.id);
        return json(204);
      }),
    );
    this.on('DELETE', '/groups/:id/members/:memberId/$ref', P.groupWrite, (req) =>
      this.withGroup(req, (g) => {
        const index = g.memberIds.indexOf(req.params.memberId);
        if (index < 0) return notFound(req, req.params.memberId);
        g.memberIds.splice(index, 1);
        return json(204);
      }),
    );
  }

  private teamRoutes(): void {
    this.on('GET', '/teams/:id', P.teamRead, (req) => this.withTeam(req, (t) => json(200, { '@odata.context': this.context('teams/$entity'), ...this.teamRow(t) }, this.headers(req))));
    this.on('GET', '/teams/:id/channels', P.channelRead, (req) =>
      this.withTeam(req, (t) => json(200, { '@odata.context': this.context(`teams('${t.id}')/channels`), value: t.channels.map((c) => this.channelRow(t, c)) }, this.headers(req))),
    );
    this.on('GET', '/teams/:id/channels/:channelId', P.channelRead, (req) =>
      this.withTeam(req, (t) => {
        const channel = t.channels.find((c) => c.id === req.params.channelId);
        return channel ? json(200, this.channelRow(t, channel), this.headers(req)) : graphError(req, 404, 'NotFound', 'Channel not found.');
      }),
    );
    this.on('POST', '/teams/:id/channels', P.channelCreate, (req) => this.withTeam(req, (t) => this.createChannel(req, t)));
    this.on('POST', '/teams/:id/members', P.teamMemberWrite, (req) => this.withTeam(req, (t) => this.addTeamMember(req, t)));
  }

  // ---- graph-memberships: team and channel members, one by one -----------------------------
  // A standard channel's members are the team's (same membership ids); private and shared channels
  // keep their own. Lists take `$filter=(microsoft.graph.aadUserConversationMember/userId eq '{id}')`.

  private membershipRoutes(): void {
    this.on('GET', '/teams/:id/members', P.teamMemberRead, (req) => this.withTeam(req, (t) => this.memberList(req, `teams('${t.id}')/members`, this.teamMemberRows(t))));
    this.on('GET', '/teams/:id/members/:membershipId', P.teamMemberRead, (req) =>
      this.withTeam(req, (t) => {
        const row = this.teamMemberRows(t).find((r) => r.id === req.params.membershipId);
        return row ? json(200, { '@odata.context': this.context(`teams('${t.id}')/members/$entity`), ...row }, this.headers(req)) : memberNotFound(req);
      }),
    );
    this.on('DELETE', '/teams/:id/members/:membershipId', P.teamMemberWrite, (req) =>
      this.withTeam(req, (t) => {
        const userId = this.teamMemberRows(t).find((r) => r.id === req.params.membershipId)?.userId as string | undefined;
        if (!userId) return memberNotFound(req);
        t.memberIds = t.memberIds.filter((id) => id !== userId);
        t.ownerIds = t.ownerIds.filter((id) => id !== userId);
        // Leaving a team takes the person out of its private channels; shared channels may hold people from outside the team.
        for (const c of t.channels) if (c.membershipType === 'private') c.memberIds = c.memberIds.filter((id) => id !== userId);
        return json(204);
      }),
    );
    this.on('GET', '/teams/:id/channels/:channelId/members', P.channelMemberRead, (req) =>
      this.withChannel(req, (t, c) => this.memberList(req, `teams('${t.id}')/channels('${c.id}')/members`, this.channelMemberRows(t, c))),
    );
    this.on('GET', '/teams/:id/channels/:channelId/members/:membershipId', P.channelMemberRead, (req) =>
      this.withChannel(req, (t, c) => {
        const row = this.channelMemberRows(t, c).find((r) => r.id === req.params.membershipId);
        return row ? json(200, { '@odata.context': this.context(`teams('${t.id}')/channels('${c.id}')/members/$entity`), ...row }, this.headers(req)) : memberNotFound(req);
      }),
    );
    this.on('POST', '/teams/:id/channels/:channelId/members', P.channelMemberWrite, (req) => this.withChannel(req, (t, c) => this.addChannelMember(req, t, c)));
    this.on('DELETE', '/teams/:id/channels/:channelId/members/:membershipId', P.channelMemberWrite, (req) =>
      this.withChannel(req, (t, c) => {
        if (c.membershipType === 'standard') return standardChannelRefusal(req);
        const row = this.channelMemberRows(t, c).find((r) => r.id === req.params.membershipId);
        if (!row) return memberNotFound(req);
        c.memberIds = c.memberIds.filter((id) => id !== row.userId);
        return json(204);
      }),
    );
  }

  private addChannelMember(req: StandInRequest, team: GraphGroup, channel: GraphChannel): StandInResponse {
    // Graph: members can be added only to channels whose membershipType is private or shared.
    if (channel.membershipType === 'standard') return standardChannelRefusal(req);
    const body = asObject(req.body);
    if (body['@odata.type'] !== '#microsoft.graph.aadUserConversationMember') {
      return graphError(req, 400, 'BadRequest', "Only '#microsoft.graph.aadUserConversationMember' members can be added.");
    }
    const user = this.boundUser(body);
    if (!user || !user.accountEnabled) return graphError(req, 404, 'NotFound', `User not found: ${String(body['user@odata.bind'] ?? '')}`);
    // A private channel's members must be in the team first (what the replication 404 looks like on the real service).
    if (channel.membershipType === 'private' && !this.teamMemberIds(team).includes(user.id)) return graphError(req, 404, 'NotFound', 'User is not found in the team.');
    // Like the team's members route, adding an existing member answers 201 with that membership.
    if (!channel.memberIds.includes(user.id)) channel.memberIds.push(user.id);
    const row = this.channelMemberRows(team, channel).find((r) => r.userId === user.id)!;
    return json(201, { '@odata.context': this.context(`teams('${team.id}')/channels('${channel.id}')/members/$entity`), ...row }, this.headers(req));
  }

  private memberList(req: StandInRequest, context: string, rows: Row[]): StandInResponse {
    return this.odata(req, () => {
      const filterText = req.query.get('$filter');
      // Graph filters conversation members by a cast property; the row carries it under that name for the parser.
      const filtered = filterText ? rows.filter((r) => parseFilter(filterText, MEMBER_FILTER_PROPS)({ ...r, [CAST_USER_ID]: r.userId })) : rows;
      return json(200, { '@odata.context': this.context(context), '@odata.count': filtered.length, value: filtered }, this.headers(req));
    });
  }

  private teamMemberIds(t: GraphGroup): string[] {
    return [...new Set([...t.ownerIds, ...t.memberIds])].filter((id) => this.users.has(id));
  }

  private teamMemberRows(t: GraphGroup): Row[] {
    return this.teamMemberIds(t).map((id) => this.memberRow(t, this.users.get(id)!));
  }

  private channelMemberRows(t: GraphGroup, c: GraphChannel): Row[] {
    if (c.membershipType === 'standard') return this.teamMemberRows(t);
    return c.memberIds.flatMap((id) => {
      const u = this.users.get(id);
      return u ? [{ ...this.memberRow(t, u), id: channelMembershipId(c.id, u.id), roles: [] }] : [];
    });
  }

  private withChannel(req: StandInRequest, handle: (t: GraphGroup, c: GraphChannel) => StandInResponse): StandInResponse {
    return this.withTeam(req, (t) => {
      const channel = t.channels.find((c) => c.id === req.params.channelId);
      return channel ? handle(t, channel) : graphError(req, 404, 'NotFound', 'Channel not found.');
    });
  }

  // ---- graph-batch: POST /v1.0/$batch ------------------------------------------------------
  // The batch is authenticated like any request; each inner request runs through the routes above
  // with the batch's token, so its permission check, faults and log line are its own.

  private batchRoute(): void {
    this.route('POST', '/v1.0/$batch', async (req) => {
      const header = req.headers.authorization;
      if (!header) return graphError(req, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
      const check = this.entra.verify(header, [GRAPH_RESOURCE, GRAPH_APP_ID_URI]);
      if (!check.ok) return graphError(req, 401, 'InvalidAuthenticationToken', `Access token validation failure: ${check.reason}.`);
      const batchId = randomUUID();
      const outcome = await runBatch(
        req.body,
        (inner) => {
          const url = new URL(inner.url.replace(/^\/?/, '/'), 'http://graph.invalid');
          const headers = { ...inner.headers, authorization: header, 'client-request-id': inner.headers['client-request-id'] ?? `${batchId}/${inner.id}` };
          return this.innerRequest({ method: inner.method, rawPath: `/v1.0${url.pathname}`, query: url.searchParams, headers, body: inner.body }, `${batchId}/${inner.id}`);
        },
        (code, message) => graphError(req, 0, code, message).body,
      );
      if (!outcome.ok) return graphError(req, 400, outcome.code, outcome.message);
      return json(200, { responses: outcome.responses }, this.headers(req));
    });
  }

  // ---- graph-service-principals: workload identities by appId ------------------------------
  // The bot resolves a Component's workload identity (its client id, from the catalog) to the
  // object id a role assignment names: GET /servicePrincipals?$filter=appId eq '{clientId}'.

  private servicePrincipalRoutes(): void {
    this.on('GET', '/servicePrincipals', P.servicePrincipalRead, (req) =>
      this.odata(req, () => {
        const filterText = req.query.get('$filter');
        const rows = [...this.servicePrincipals.values()].map((sp) => ({ ...sp }) as unknown as Row);
        const filtered = filterText ? rows.filter(parseFilter(filterText, SP_FILTER_PROPS)) : rows;
        const page = pageOf(filtered, req.query);
        const body: Record<string, unknown> = { '@odata.context': this.context('servicePrincipals'), value: page.value.map((r) => project(r, req.query.get('$select'), SP_PROPS, SP_PROPS, 'microsoft.graph.servicePrincipal')) };
        if (page.nextSkip !== undefined) {
          const next = new URLSearchParams(req.query);
          next.set('$skiptoken', skipTokenFor(page.nextSkip));
          body['@odata.nextLink'] = `${this.baseUrl}/v1.0/servicePrincipals?${queryString(next)}`;
        }
        return json(200, body, this.headers(req));
      }),
    );
    this.on('GET', '/servicePrincipals/:id', P.servicePrincipalRead, (req) => {
      const sp = this.servicePrincipals.get(req.params.id);
      if (!sp) return notFound(req, req.params.id);
      return this.odata(req, () => json(200, { '@odata.context': this.context('servicePrincipals/$entity'), ...project({ ...sp } as unknown as Row, req.query.get('$select'), SP_PROPS, SP_PROPS, 'microsoft.graph.servicePrincipal') }, this.headers(req)));
    });
  }

  // ---- operations -------------------------------------------------------------------------

  private createUser(req: StandInRequest): StandInResponse {
    const body = asObject(req.body);
    const missing = ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile'].filter((k) => body[k] === undefined);
    if (missing.length) return graphError(req, 400, 'Request_BadRequest', `Property '${missing[0]}' is required when creating the object.`);
    const upn = String(body.userPrincipalName);
    const domain = upn.split('@')[1]?.toLowerCase();
    if (!domain || !this.domains.includes(domain)) {
      return graphError(req, 400, 'Request_BadRequest', `The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.`);
    }
    if (this.findUser(upn)) return graphError(req, 400, 'Request_BadRequest', 'Another object with the same value for property userPrincipalName already exists.');
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : null);
    const user: GraphUser = {
      id: randomUUID(),
      userPrincipalName: upn,
      displayName: String(body.displayName),
      givenName: text('givenName'),
      surname: text('surname'),
      mail: text('mail'),
      mailNickname: String(body.mailNickname),
      jobTitle: text('jobTitle'),
      department: text('department'),
      officeLocation: text('officeLocation'),
      mobilePhone: text('mobilePhone'),
      businessPhones: [],
      preferredLanguage: text('preferredLanguage'),
      usageLocation: text('usageLocation'),
      accountEnabled: Boolean(body.accountEnabled),
      employeeHireDate: text('employeeHireDate'),
      createdDateTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    this.users.set(user.id, user);
    return json(201, { '@odata.context': this.context('users/$entity'), ...project(this.userRow(user), null, USER_PROPS, USER_DEFAULT_PROPS, 'microsoft.graph.user') }, this.headers(req));
  }

  private patchUser(req: StandInRequest, user: GraphUser): StandInResponse {
    const body = asObject(req.body);
    const writable = ['displayName', 'givenName', 'surname', 'jobTitle', 'department', 'officeLocation', 'mobilePhone', 'preferredLanguage', 'usageLocation', 'accountEnabled', 'employeeHireDate'] as const;
    for (const key of Object.keys(body)) {
      if (!(writable as readonly string[]).includes(key)) return graphError(req, 400, 'Request_BadRequest', `Property '${key}' is read-only or unknown on microsoft.graph.user.`);
    }
    Object.assign(user, body);
    return json(204);
  }

  private sendMail(req: StandInRequest, user: GraphUser): StandInResponse {
    const body = asObject(req.body);
    const message = asObject(body.message);
    const addresses = (list: unknown) => (Array.isArray(list) ? list : []).map((r) => String(asObject(asObject(r).emailAddress).address ?? ''));
    const to = addresses(message.toRecipients);
    const cc = addresses(message.ccRecipients);
    if (!to.length && !cc.length) return graphError(req, 400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., Recipient is missing.');
    if ([...to, ...cc].some((a) => !/^[^@\s]+@[^@\s]+$/.test(a))) return graphError(req, 400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
    const content = asObject(message.body);
    this.sentMail.push({
      from: user.userPrincipalName,
      to,
      cc,
      subject: String(message.subject ?? ''),
      contentType: String(content.contentType ?? 'Text'),
      content: String(content.content ?? ''),
      saveToSentItems: body.saveToSentItems !== false,
      at: new Date().toISOString(),
    });
    return { status: 202, headers: this.headers(req) };
  }

  private createChannel(req: StandInRequest, team: GraphGroup): StandInResponse {
    const body = asObject(req.body);
    const name = typeof body.displayName === 'string' ? body.displayName.trim() : '';
    if (!name || name.length > 50 || /[~#%&*{}+/\\:<>?|'"]/.test(name)) {
      return graphError(req, 400, 'BadRequest', 'Channel display name is empty, too long (max 50) or contains an invalid character.');
    }
    if (team.channels.some((c) => c.displayName.toLowerCase() === name.toLowerCase())) {
      return graphError(req, 400, 'NameAlreadyExists', 'Channel name already existed, please use other name.');
    }
    const type = body.membershipType === 'private' || body.membershipType === 'shared' ? body.membershipType : 'standard';
    // A private or shared channel starts with the members the request names (Graph needs an owner among them).
    const memberIds = type === 'standard' ? [] : (Array.isArray(body.members) ? body.members : []).map((m) => this.boundUser(asObject(m))?.id).filter((id): id is string => !!id);
    const channel: GraphChannel = { id: newChannelId(team.id, name), displayName: name, description: typeof body.description === 'string' ? body.description : null, membershipType: type, createdDateTime: new Date().toISOString(), memberIds };
    team.channels.push(channel);
    return json(201, { '@odata.context': this.context(`teams('${team.id}')/channels/$entity`), ...this.channelRow(team, channel) }, this.headers(req));
  }

  private addTeamMember(req: StandInRequest, team: GraphGroup): StandInResponse {
    const body = asObject(req.body);
    if (body['@odata.type'] !== '#microsoft.graph.aadUserConversationMember') {
      return graphError(req, 400, 'BadRequest', "Only '#microsoft.graph.aadUserConversationMember' members can be added.");
    }
    const user = this.boundUser(body);
    // Graph: "Trying to add a disabled/blocked user returns 404 Not Found".
    if (!user || !user.accountEnabled) return graphError(req, 404, 'NotFound', `User not found: ${String(body['user@odata.bind'] ?? '')}`);
    // Adding a member twice is not an error: Graph answers 201 with the existing membership again.
    const roles = Array.isArray(body.roles) ? (body.roles as unknown[]).map(String) : [];
    if (!team.memberIds.includes(user.id)) team.memberIds.push(user.id);
    if (roles.includes('owner') && !team.ownerIds.includes(user.id)) team.ownerIds.push(user.id);
    return json(201, { '@odata.context': this.context(`teams('${team.id}')/members/$entity`), ...this.memberRow(team, user) }, this.headers(req));
  }

  // ---- lookups ----------------------------------------------------------------------------

  private findUser(idOrUpn: string): GraphUser | undefined {
    const byId = this.users.get(idOrUpn);
    if (byId) return byId;
    const upn = idOrUpn.toLowerCase();
    return [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === upn || u.id.toLowerCase() === upn);
  }

  /** The user a conversationMember's `user@odata.bind` (…/users('{id|upn}') or …/users/{id}) names. */
  private boundUser(body: Record<string, unknown>): GraphUser | undefined {
    const bind = String(body['user@odata.bind'] ?? '');
    const key = /users\('([^']+)'\)$/i.exec(bind)?.[1] ?? /users\/([^/]+)$/i.exec(bind)?.[1];
    return key ? this.findUser(decodeURIComponent(key)) : undefined;
  }

  private withUser(req: StandInRequest, handle: (u: GraphUser) => StandInResponse): StandInResponse {
    const user = this.findUser(req.params.id);
    return user ? handle(user) : notFound(req, req.params.id);
  }

  private withGroup(req: StandInRequest, handle: (g: GraphGroup) => StandInResponse): StandInResponse {
    const group = this.groups.get(req.params.id) ?? [...this.groups.values()].find((g) => g.id.toLowerCase() === req.params.id.toLowerCase());
    return group ? handle(group) : notFound(req, req.params.id);
  }

  private withTeam(req: StandInRequest, handle: (g: GraphGroup) => StandInResponse): StandInResponse {
    const group = this.groups.get(req.params.id);
    if (!group || !isTeam(group)) return graphError(req, 404, 'NotFound', `No team found with Group Id ${req.params.id}`);
    return handle(group);
  }

  /** The object an `@odata.id` (…/directoryObjects/{id}, …/users/{id}, …/groups/{id}) points at. */
  private refTarget(req: StandInRequest): { kind: Kind; id: string } | undefined {
    const ref = String(asObject(req.body)['@odata.id'] ?? '');
    const key = /\/(?:directoryObjects|users|groups)(?:\/|\(')([^/']+)'?\)?$/i.exec(ref)?.[1];
    if (!key) return undefined;
    const user = this.findUser(decodeURIComponent(key));
    if (user) return { kind: 'user', id: user.id };
    return this.groups.has(key) ? { kind: 'group', id: key } : undefined;
  }

  /** Groups with `memberId` as a member; transitive follows nesting upwards. */
  private groupsContaining(memberId: string, transitive: boolean): GraphGroup[] {
    const found = new Map<string, GraphGroup>();
    let frontier = [memberId];
    while (frontier.length) {
      const next: string[] = [];
      for (const g of this.groups.values()) {
        if (!found.has(g.id) && frontier.some((id) => g.memberIds.includes(id))) {
          found.set(g.id, g);
          next.push(g.id);
        }
      }
      frontier = transitive ? next : [];
    }
    return [...found.values()];
  }

  /** Members of a group; transitive includes nested groups and their members. */
  private membersOf(group: GraphGroup, transitive: boolean): { kind: Kind; row: Row }[] {
    const seen = new Set<string>();
    const out: { kind: Kind; row: Row }[] = [];
    const visit = (g: GraphGroup) => {
      for (const m of this.resolveIds(g.memberIds)) {
        if (seen.has(m.id)) continue;
        seen.add(m.id);
        out.push(m);
        const nested = this.groups.get(m.id);
        if (transitive && nested) visit(nested);
      }
    };
    visit(group);
    return out;
  }

  private resolveIds(ids: string[]): { kind: Kind; id: string; row: Row }[] {
    return ids.flatMap((id): { kind: Kind; id: string; row: Row }[] => {
      const user = this.users.get(id);
      if (user) return [{ kind: 'user', id, row: { '@odata.type': '#microsoft.graph.user', ...this.userRow(user) } }];
      const group = this.groups.get(id);
      return group ? [{ kind: 'group', id, row: this.groupRow(group, true) }] : [];
    });
  }

  // ---- wire shapes ------------------------------------------------------------------------

  private userRows(): Row[] {
    return [...this.users.values()].map((u) => this.userRow(u));
  }

  private userRow(u: GraphUser): Row {
    const { managerId: _managerId, ...row } = u;
    return row as unknown as Row;
  }

  private groupRow(g: GraphGroup, typed: boolean): Row {
    const row: Row = typed ? { '@odata.type': '#microsoft.graph.group' } : {};
    for (const p of GROUP_PROPS) row[p] = g[p];
    return row;
  }

  private teamRow(t: GraphGroup): Row {
    return { id: t.id, displayName: t.displayName, description: t.description, isArchived: false, visibility: (t.visibility ?? 'private').toLowerCase(), webUrl: `https://teams.microsoft.com/l/team/${encodeURIComponent(t.channels[0]?.id ?? t.id)}/conversations?groupId=${t.id}&tenantId=${this.entra.tenantId}`, tenantId: this.entra.tenantId };
  }

  private channelRow(t: GraphGroup, c: GraphChannel): Row {
    return { id: c.id, createdDateTime: c.createdDateTime, displayName: c.displayName, description: c.description, email: '', membershipType: c.membershipType, tenantId: this.entra.tenantId, webUrl: `https://teams.microsoft.com/l/channel/${encodeURIComponent(c.id)}/${encodeURIComponent(c.displayName)}?groupId=${t.id}&tenantId=${this.entra.tenantId}` };
  }

  private memberRow(t: GraphGroup, u: GraphUser): Row {
    return { '@odata.type': '#microsoft.graph.aadUserConversationMember', id: membershipId(t.id, u.id), roles: t.ownerIds.includes(u.id) ? ['owner'] : [], displayName: u.displayName, userId: u.id, email: u.mail, tenantId: this.entra.tenantId, visibleHistoryStartDateTime: '0001-01-01T00:00:00Z' };
  }

  private context(what: string): string {
    return `${this.baseUrl}/v1.0/$metadata#${what}`;
  }

  private headers(req: StandInRequest): Record<string, string> {
    const clientRequestId = String(req.headers['client-request-id'] ?? randomUUID());
    return { 'request-id': randomUUID(), 'client-request-id': clientRequestId };
  }

  private single(req: StandInRequest, context: string, row: Row, kind: Kind): StandInResponse {
    return this.odata(req, () => {
      const select = req.query.get('$select');
      const [all, defaults, type] = kind === 'user' ? [USER_PROPS, USER_DEFAULT_PROPS, 'microsoft.graph.user'] : [GROUP_PROPS, GROUP_PROPS, 'microsoft.graph.group'];
      return json(200, { '@odata.context': this.context(context), ...project(row, select, all, defaults, type) }, this.headers(req));
    });
  }

  /** A collection with $filter, $select, $top and paging by @odata.nextLink (absolute, like Graph's). */
  private collection(req: StandInRequest, path: string, context: string, rows: Row[], kind: Kind | 'directoryObject'): StandInResponse {
    return this.odata(req, () => {
      const filterText = req.query.get('$filter');
      const filterProps = kind === 'user' ? USER_FILTER_PROPS : kind === 'group' ? GROUP_FILTER_PROPS : ['id', 'displayName'];
      const filtered = filterText ? rows.filter(parseFilter(filterText, filterProps)) : rows;
      const page = pageOf(this.searchAndOrder(req, filtered, kind), req.query);
      const select = req.query.get('$select');
      const value = page.value.map((row) => {
        const isUser = row['@odata.type'] === '#microsoft.graph.user' || kind === 'user';
        const [all, defaults, type] = isUser ? [USER_PROPS, USER_DEFAULT_PROPS, 'microsoft.graph.user'] : [GROUP_PROPS, GROUP_PROPS, 'microsoft.graph.group'];
        // A directoryObject collection mixes types: each row keeps the selected properties its type has.
        const rowSelect = select && kind === 'directoryObject' ? select.split(',').filter((s) => all.some((p) => p.toLowerCase() === s.trim().toLowerCase())).join(',') || 'id' : select;
        return project(row, rowSelect, all, defaults, type);
      });
      const body: Record<string, unknown> = { '@odata.context': this.context(context), value };
      if (page.nextSkip !== undefined) {
        const next = new URLSearchParams(req.query);
        next.set('$skiptoken', skipTokenFor(page.nextSkip));
        body['@odata.nextLink'] = `${this.baseUrl}/v1.0${path}?${queryString(next)}`;
      }
      return json(200, body, this.headers(req));
    });
  }

  /**
   * `$search` and `$orderby` as Graph's directory answers them: `$search` only as an advanced query
   * (header `ConsistencyLevel: eventual`, else 400), `$orderby` with `$filter` or `$search` only as
   * one too (`$filter` also needs `$count=true`).
   */
  private searchAndOrder(req: StandInRequest, rows: Row[], kind: Kind | 'directoryObject'): Row[] {
    const search = req.query.get('$search');
    const orderBy = req.query.get('$orderby');
    const advanced = String(req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
    if (search !== null && !advanced) {
      throw new ODataError('Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    }
    if (orderBy !== null && (search !== null || req.query.get('$filter') !== null) && !(advanced && (search !== null || req.query.get('$count') === 'true'))) {
      throw new ODataError('Request_UnsupportedQuery', 'Sorting not supported for current query.');
    }
    const searchProps = kind === 'user' ? USER_SEARCH_PROPS : kind === 'group' ? GROUP_SEARCH_PROPS : ['displayName'];
    const found = search !== null ? rows.filter(parseSearch(search, searchProps)) : rows;
    return orderBy !== null ? orderRows(found, orderBy, ORDER_PROPS) : found;
  }

  private odata(req: StandInRequest, run: () => StandInResponse): StandInResponse {
    try {
      return run();
    } catch (e) {
      if (e instanceof ODataError) return graphError(req, 400, e.code, e.message);
      throw e;
    }
  }

  /** Registers `/v1.0{path}` behind token verification and an application-permission check. */
  private on(method: string, path: string, anyOf: string[], handler: Handler): void {
    this.route(method, `/v1.0${path}`, (req) => {
      const header = req.headers.authorization;
      if (!header) return graphError(req, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
      const check = this.entra.verify(header, [GRAPH_RESOURCE, GRAPH_APP_ID_URI]);
      if (!check.ok) return graphError(req, 401, 'InvalidAuthenticationToken', `Access token validation failure: ${check.reason}.`);
      const roles = check.claims.roles ?? [];
      if (!anyOf.some((r) => roles.includes(r))) {
        return graphError(req, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      }
      return handler(req);
    });
  }
}

/** Like URLSearchParams.toString but keeps `$` literal in names, as Graph's nextLinks do. */
const queryString = (params: URLSearchParams) => [...params].map(([k, v]) => `${encodeURIComponent(k).replace(/%24/g, '$')}=${encodeURIComponent(v)}`).join('&');

const isTeam = (g: GraphGroup) => g.resourceProvisioningOptions.includes('Team');

const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function graphError(req: StandInRequest, status: number, code: string, message: string): StandInResponse {
  const requestId = randomUUID();
  const clientRequestId = String(req.headers['client-request-id'] ?? requestId);
  return json(
    status,
    { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId } } },
    { 'request-id': requestId, 'client-request-id': clientRequestId },
  );
}

/** A service principal as the stand-in keeps it (the properties the bot reads). */
export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  accountEnabled: boolean;
  servicePrincipalType: 'ManagedIdentity' | 'Application';
  alternativeNames: string[];
}

const SP_PROPS = ['id', 'appId', 'displayName', 'accountEnabled', 'servicePrincipalType', 'alternativeNames'];
const SP_FILTER_PROPS = ['id', 'appId', 'displayName', 'accountEnabled', 'servicePrincipalType'];

function seedServicePrincipals(): GraphServicePrincipal[] {
  return DEMO_WORKLOADS.map((w) => ({ id: w.principalId, appId: w.clientId, displayName: w.displayName, accountEnabled: true, servicePrincipalType: 'ManagedIdentity', alternativeNames: [] }));
}

const CAST_USER_ID = 'microsoft.graph.aadUserConversationMember/userId';
const MEMBER_FILTER_PROPS = [CAST_USER_ID, 'displayName', 'email', 'roles'];

const memberNotFound = (req: StandInRequest) => graphError(req, 404, 'NotFound', 'Member not found.');

const standardChannelRefusal = (req: StandInRequest) =>
  graphError(req, 400, 'BadRequest', 'Members can be managed only in a private or shared channel; a standard channel has the members of its team.');

function notFound(req: StandInRequest, resource: string): StandInResponse {
  return graphError(req, 404, 'Request_ResourceNotFound', `Resource '${resource}' does not exist or one of its queried reference-property objects are not present.`);
}
