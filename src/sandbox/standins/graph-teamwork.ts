/**
 * The Graph stand-in's Teams app catalog and per-user app installations, as Graph v1.0 documents
 * them (registered by graph.standin.ts, which checks the token and the route's permissions):
 *
 *   GET    /appCatalogs/teamsApps?$filter=externalId eq '<manifest id>' [and distributionMethod eq 'organization']
 *   GET    /users/{id}/teamwork/installedApps[?$expand=teamsApp&$filter=teamsApp/id eq '<catalog id>']
 *   POST   /users/{id}/teamwork/installedApps  {"teamsApp@odata.bind": ".../appCatalogs/teamsApps/<catalog id>"}
 *          201 (no body); 409 Conflict when the app is already installed for the user; 403 for a user who
 *          cannot use Teams (disabled account) and for an app holding only ...SelfForUser that installs another app
 *   GET    /users/{id}/teamwork/installedApps/{installationId}
 *   DELETE /users/{id}/teamwork/installedApps/{installationId}   (uninstall: a test or a person can start over)
 *   GET    /users/{id}/teamwork/installedApps/{installationId}/chat   the bot's 1:1 chat, `19:<bot>_<user>@unq.gbl.spaces`
 *
 * Replication: with `chatLagReads = n`, the first n chat reads after an install answer 404, as Graph
 * does for a minute after installing. Other faults (429, 5xx, drops) come from the stand-in's fault list.
 *
 * The Bot Connector stand-in is a separate server: the sandbox links it to `isChatOpen`, so it accepts
 * activities in a 1:1 chat exactly when the app is installed for that user, and refuses them before.
 */
import { DEMO_TEAMS_APP, DEMO_USERS, userBySlug } from '../seed/demo-org';
import type { GraphUser } from './graph-model';
import { ODataError, parseFilter, type Row } from './graph-odata';
import { json, type StandInRequest, type StandInResponse } from './standin-server';

export interface GraphTeamsApp {
  /** The catalog id (what installations bind to). */
  id: string;
  /** The manifest id. */
  externalId: string;
  displayName: string;
  distributionMethod: 'organization' | 'store' | 'sideloaded';
  /** The app's Entra app (webApplicationInfo.id / the bot's id): who may install it with ...SelfForUser. */
  azureADAppId: string;
}

export interface GraphUserAppInstallation {
  /** Graph's shape: base64 of `<user id>##<catalog id>`. */
  id: string;
  userId: string;
  teamsAppId: string;
  chatId: string;
  installedAt: string;
}

/** What graph.standin.ts lends these routes. */
export interface TeamworkHost {
  on(method: string, path: string, anyOf: string[], handler: (req: StandInRequest) => StandInResponse): void;
  findUser(idOrUpn: string): GraphUser | undefined;
  error(req: StandInRequest, status: number, code: string, message: string): StandInResponse;
  headers(req: StandInRequest): Record<string, string>;
  context(what: string): string;
  tenantId: string;
}

export interface TeamworkSaved {
  apps: GraphTeamsApp[];
  installations: GraphUserAppInstallation[];
}

const CATALOG_READ = ['AppCatalog.Read.All', 'AppCatalog.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const INSTALL_SELF = 'TeamsAppInstallation.ReadWriteSelfForUser.All';
const INSTALL_ANY = ['TeamsAppInstallation.ReadWriteForUser.All', 'TeamsAppInstallation.ReadWrite.All'];
const INSTALL_READ = ['TeamsAppInstallation.ReadForUser.All', INSTALL_SELF, ...INSTALL_ANY];
const CATALOG_FILTER_PROPS = ['id', 'externalId', 'displayName', 'distributionMethod'];
const INSTALLED_FILTER_PROPS = ['teamsApp/id', 'teamsApp/externalId', 'teamsApp/displayName', 'teamsApp/distributionMethod'];

/** The bot's 1:1 chat with a user, in the Graph chat id form Teams gives it (bot first, as in Graph's docs). */
export const personalChatId = (botAppId: string, userId: string): string => `19:${botAppId.toLowerCase()}_${userId.toLowerCase()}@unq.gbl.spaces`;

/** A chat id of that form: the only conversations whose existence depends on an app installation. */
export const isPersonalChatId = (conversationId: string): boolean => /^19:[^@]+@unq\.gbl\.spaces$/i.test(conversationId);

export const installationIdOf = (userId: string, teamsAppId: string): string => Buffer.from(`${userId}##${teamsAppId}`).toString('base64');

/** The org catalog's copy of the bot (the sandbox bot's client id is its manifest id too). */
export const demoTeamsApp = (): GraphTeamsApp => ({
  id: DEMO_TEAMS_APP.catalogId,
  externalId: DEMO_TEAMS_APP.externalId,
  displayName: 'IDP bot',
  distributionMethod: 'organization',
  azureADAppId: DEMO_TEAMS_APP.externalId,
});

/** Who has the bot already: every enabled demo user but Henry, the joiner who never opened Teams. */
export const demoUsersWithTheApp = (): string[] => DEMO_USERS.filter((u) => u.accountEnabled !== false && u.id !== userBySlug('henry').id).map((u) => u.id);

const SEEDED_AT = '2024-01-15T09:00:00Z';

export class TeamsAppInstallations {
  readonly apps = new Map<string, GraphTeamsApp>();
  readonly installations = new Map<string, GraphUserAppInstallation>();
  /** Chat reads that answer 404 after each install (Graph replicating). */
  chatLagReads = 0;
  private readonly lagging = new Map<string, number>();

  constructor(private readonly host: TeamworkHost) {}

  /** The demo catalog app installed for the demo users who have it; nothing when `empty`. */
  reset(empty = false): void {
    this.apps.clear();
    this.installations.clear();
    this.lagging.clear();
    this.chatLagReads = 0;
    if (empty) return;
    const app = demoTeamsApp();
    this.apps.set(app.id, app);
    for (const userId of demoUsersWithTheApp()) this.add(userId, app, SEEDED_AT);
  }

  dump(): TeamworkSaved {
    return { apps: [...this.apps.values()], installations: [...this.installations.values()] };
  }

  restore(saved: TeamworkSaved): void {
    this.apps.clear();
    this.installations.clear();
    for (const a of saved.apps) this.apps.set(a.id, a);
    for (const i of saved.installations) this.installations.set(i.id, i);
  }

  /** True when the chat belongs to an installation: the Bot Connector stand-in asks this. */
  isChatOpen(chatId: string): boolean {
    const key = chatId.toLowerCase();
    return [...this.installations.values()].some((i) => i.chatId.toLowerCase() === key);
  }

  /** Publishes (or replaces) a catalog app. */
  addApp(app: GraphTeamsApp): void {
    this.apps.set(app.id, { ...app });
  }

  install(userId: string, teamsAppId: string): GraphUserAppInstallation {
    const app = this.apps.get(teamsAppId);
    if (!app) throw new Error(`No catalog app ${teamsAppId}`);
    return this.add(userId, app, new Date().toISOString());
  }

  /** Removes every app installed for the user (their 1:1 chats with it close). */
  uninstallAll(userId: string): void {
    for (const [id, i] of this.installations) if (i.userId.toLowerCase() === userId.toLowerCase()) this.installations.delete(id);
  }

  state() {
    return {
      apps: [...this.apps.values()].map((a) => ({ id: a.id, externalId: a.externalId, displayName: a.displayName })),
      installations: [...this.installations.values()].map((i) => ({ userId: i.userId, teamsAppId: i.teamsAppId, chatId: i.chatId })),
    };
  }

  register(): void {
    const { host } = this;
    host.on('GET', '/appCatalogs/teamsApps', CATALOG_READ, (req) =>
      this.odata(req, () => {
        const filter = req.query.get('$filter');
        const rows = [...this.apps.values()].map(appRow);
        const value = filter ? rows.filter(parseFilter(filter, CATALOG_FILTER_PROPS)) : rows;
        return json(200, { '@odata.context': host.context('appCatalogs/teamsApps'), value }, host.headers(req));
      }),
    );
    host.on('GET', '/users/:id/teamwork/installedApps', INSTALL_READ, (req) => this.withUser(req, (u) => this.list(req, u)));
    host.on('POST', '/users/:id/teamwork/installedApps', [INSTALL_SELF, ...INSTALL_ANY], (req) => this.withUser(req, (u) => this.create(req, u)));
    host.on('GET', '/users/:id/teamwork/installedApps/:installationId', INSTALL_READ, (req) =>
      this.withInstallation(req, (i) =>
        this.odata(req, () => json(200, { '@odata.context': host.context(`users('${i.userId}')/teamwork/installedApps/$entity`), ...this.installationRow(i, req.query.get('$expand')) }, host.headers(req))),
      ),
    );
    host.on('DELETE', '/users/:id/teamwork/installedApps/:installationId', [INSTALL_SELF, ...INSTALL_ANY], (req) =>
      this.withInstallation(req, (i) => {
        this.installations.delete(i.id);
        return json(204);
      }),
    );
    host.on('GET', '/users/:id/teamwork/installedApps/:installationId/chat', INSTALL_READ, (req) =>
      this.withInstallation(req, (i) => {
        const lag = this.lagging.get(i.id) ?? 0;
        if (lag > 0) {
          this.lagging.set(i.id, lag - 1);
          return host.error(req, 404, 'NotFound', 'Chat not found: the installation is still being set up.');
        }
        return json(200, { '@odata.context': host.context('chats/$entity'), ...this.chatRow(i) }, host.headers(req));
      }),
    );
  }

  private add(userId: string, app: GraphTeamsApp, at: string): GraphUserAppInstallation {
    const installation: GraphUserAppInstallation = { id: installationIdOf(userId, app.id), userId, teamsAppId: app.id, chatId: personalChatId(app.azureADAppId, userId), installedAt: at };
    this.installations.set(installation.id, installation);
    return installation;
  }

  private list(req: StandInRequest, user: GraphUser): StandInResponse {
    return this.odata(req, () => {
      const expand = req.query.get('$expand');
      const filter = req.query.get('$filter');
      const mine = [...this.installations.values()].filter((i) => i.userId === user.id);
      const matching = filter ? mine.filter((i) => parseFilter(filter, INSTALLED_FILTER_PROPS)(this.filterRow(i))) : mine;
      const value = matching.map((i) => this.installationRow(i, expand));
      return json(200, { '@odata.context': this.host.context(`users('${user.id}')/teamwork/installedApps`), value }, this.host.headers(req));
    });
  }

  private create(req: StandInRequest, user: GraphUser): StandInResponse {
    const { host } = this;
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const bind = typeof body['teamsApp@odata.bind'] === 'string' ? body['teamsApp@odata.bind'] : '';
    const appId = /\/appCatalogs\/teamsApps\/([^/?#]+)$/i.exec(bind)?.[1];
    if (!appId) return host.error(req, 400, 'BadRequest', "The request body must bind 'teamsApp@odata.bind' to an app of the catalog.");
    const app = this.apps.get(decodeURIComponent(appId));
    if (!app) return host.error(req, 404, 'NotFound', `App ${appId} was not found in the app catalog.`);
    const caller = claimsOf(req);
    if (!INSTALL_ANY.some((r) => caller.roles.includes(r)) && caller.appid.toLowerCase() !== app.azureADAppId.toLowerCase()) {
      return host.error(req, 403, 'Forbidden', `AAD App Id '${caller.appid}' is not allowed to manage the Teams App '${app.id}'.`);
    }
    if (!user.accountEnabled) {
      return host.error(req, 403, 'Forbidden', 'Failed to get license information for the user. Ensure user has a valid Office365 license assigned to them.');
    }
    if (this.installations.has(installationIdOf(user.id, app.id))) return host.error(req, 409, 'Conflict', 'App is already installed for the user.');
    const installation = this.add(user.id, app, new Date().toISOString());
    if (this.chatLagReads > 0) this.lagging.set(installation.id, this.chatLagReads);
    return { status: 201, headers: host.headers(req) };
  }

  private withUser(req: StandInRequest, handle: (u: GraphUser) => StandInResponse): StandInResponse {
    const user = this.host.findUser(req.params.id);
    return user ? handle(user) : this.host.error(req, 404, 'NotFound', `User ${req.params.id} was not found.`);
  }

  private withInstallation(req: StandInRequest, handle: (i: GraphUserAppInstallation) => StandInResponse): StandInResponse {
    return this.withUser(req, (u) => {
      const installation = this.installations.get(req.params.installationId);
      if (!installation || installation.userId !== u.id) return this.host.error(req, 404, 'NotFound', `Installation ${req.params.installationId} was not found.`);
      return handle(installation);
    });
  }

  private filterRow(i: GraphUserAppInstallation): Row {
    const app = this.apps.get(i.teamsAppId);
    return { 'teamsApp/id': i.teamsAppId, 'teamsApp/externalId': app?.externalId ?? null, 'teamsApp/displayName': app?.displayName ?? null, 'teamsApp/distributionMethod': app?.distributionMethod ?? null };
  }

  private installationRow(i: GraphUserAppInstallation, expand: string | null): Row {
    const wanted = (expand ?? '').split(',').map((e) => e.trim()).filter(Boolean);
    const unknown = wanted.find((e) => e !== 'teamsApp' && e !== 'teamsAppDefinition');
    if (unknown) throw new ODataError('BadRequest', `Could not find a navigation property named '${unknown}' on type 'microsoft.graph.userScopeTeamsAppInstallation'.`);
    const app = this.apps.get(i.teamsAppId);
    const row: Row = { '@odata.type': '#microsoft.graph.userScopeTeamsAppInstallation', id: i.id };
    if (wanted.includes('teamsApp') && app) row.teamsApp = appRow(app);
    if (wanted.includes('teamsAppDefinition') && app) row.teamsAppDefinition = { id: Buffer.from(`${app.id}##1.0.0`).toString('base64'), teamsAppId: app.id, displayName: app.displayName, version: '1.0.0', azureADAppId: app.azureADAppId };
    return row;
  }

  private chatRow(i: GraphUserAppInstallation): Row {
    return {
      id: i.chatId,
      topic: null,
      createdDateTime: i.installedAt,
      lastUpdatedDateTime: i.installedAt,
      chatType: 'oneOnOne',
      webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(i.chatId)}/0?tenantId=${this.host.tenantId}`,
      tenantId: this.host.tenantId,
    };
  }

  private odata(req: StandInRequest, run: () => StandInResponse): StandInResponse {
    try {
      return run();
    } catch (e) {
      if (e instanceof ODataError) return this.host.error(req, 400, e.code, e.message);
      throw e;
    }
  }
}

/** The caller's app id and roles; the route wrapper has verified the token, so only its claims are read here. */
function claimsOf(req: StandInRequest): { appid: string; roles: string[] } {
  const payload = String(req.headers.authorization ?? '').split('.')[1] ?? '';
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { appid?: string; roles?: string[] };
    return { appid: claims.appid ?? '', roles: claims.roles ?? [] };
  } catch {
    return { appid: '', roles: [] };
  }
}

const appRow = (a: GraphTeamsApp): Row => ({ id: a.id, externalId: a.externalId, displayName: a.displayName, distributionMethod: a.distributionMethod });
