/**
 * AppInstallation over Microsoft Graph v1.0 (app-only: TeamsAppInstallation.ReadWriteSelfForUser.All
 * to install the bot itself, AppCatalog.Read.All to find it): the org-catalog app found by its
 * manifest id once per process, then per user: is it installed? install it if not, and read the
 * bot's 1:1 chat with them. Graph answers 409 when the app is already there, so two replicas
 * installing for the same person both succeed; right after an install, the installation and its
 * chat can read as missing for a while (Graph replicating), so those reads are retried, bounded.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { AppInstallation, PersonalChatInstall } from '../../domain/conversations/app-installation.port';
import { DomainError } from '../../domain/domain-error';
import { createGraphClient, type GraphClientHandle, type GraphClientOptions } from './graph-client';
import { statusOf, toDomainError } from './graph-errors';

export interface GraphAppInstallationOptions extends GraphClientOptions {
  /** The Teams app's manifest id (`id` in manifest.json), which the org catalog calls externalId. */
  teamsAppExternalId: string;
  /** Reads of the installation and chat after an install before giving up (default 4). */
  replicationAttempts?: number;
  /** Wait before the first re-read, doubled after each (default 1000 ms; tests use 0). */
  replicationDelayMs?: number;
}

interface TeamsAppDto {
  id: string;
  externalId?: string | null;
  displayName?: string | null;
}

interface InstallationDto {
  id: string;
  teamsApp?: TeamsAppDto | null;
}

interface ChatDto {
  id: string;
}

/** Graph has not caught up with an install yet: the installation or its chat reads as missing. */
class NotReplicatedYet extends Error {}

export class GraphAppInstallation implements AppInstallation {
  private readonly client: Client;
  private readonly handle: GraphClientHandle;
  private readonly externalId: string;
  private readonly attempts: number;
  private readonly delayMs: number;
  private catalogApp?: Promise<TeamsAppDto>;

  constructor(options: GraphAppInstallationOptions) {
    this.handle = createGraphClient(options);
    this.client = this.handle.client;
    this.externalId = options.teamsAppExternalId;
    this.attempts = Math.max(1, options.replicationAttempts ?? 4);
    this.delayMs = Math.max(0, options.replicationDelayMs ?? 1000);
  }

  /** Releases the pooled https connections. */
  close(): void {
    this.handle.close();
  }

  async ensureInstalledFor(userId: string): Promise<PersonalChatInstall> {
    if (!userId.trim()) throw userNotFound(userId);
    const app = await this.app();
    const existing = await this.installationOf(userId, app.id);
    if (existing) return { chatId: await this.withReplication(() => this.chatOf(userId, existing.id)), installedNow: false };

    const installedNow = await this.install(userId, app.id);
    const chatId = await this.withReplication(async () => {
      const installation = await this.installationOf(userId, app.id);
      if (!installation) throw new NotReplicatedYet();
      return this.chatOf(userId, installation.id);
    });
    return { chatId, installedNow };
  }

  /** The catalog app, looked up once; a failed look-up is not remembered, so the next call asks again. */
  private app(): Promise<TeamsAppDto> {
    this.catalogApp ??= this.findCatalogApp().catch((e: unknown) => {
      this.catalogApp = undefined;
      throw e;
    });
    return this.catalogApp;
  }

  private async findCatalogApp(): Promise<TeamsAppDto> {
    // Only the organisation's own copy: a sideloaded or store app with the same manifest id is not ours to install.
    const filter = encodeURIComponent(`externalId eq '${odataString(this.externalId)}' and distributionMethod eq 'organization'`);
    let page: { value: TeamsAppDto[] };
    try {
      page = (await this.client.api('/appCatalogs/teamsApps').filter(filter).get()) as { value: TeamsAppDto[] };
    } catch (e) {
      throw this.failure(e, 'look up the bot in the Teams app catalog', '');
    }
    const app = page.value[0];
    if (!app) {
      throw new DomainError('CONVERSATION.APP_NOT_IN_CATALOG', `No app with manifest id ${this.externalId} is published to the organisation's Teams app catalog.`, { externalId: this.externalId });
    }
    return app;
  }

  private async installationOf(userId: string, catalogId: string): Promise<InstallationDto | undefined> {
    const filter = encodeURIComponent(`teamsApp/id eq '${odataString(catalogId)}'`);
    try {
      const page = (await this.client.api(`/users/${encodeURIComponent(userId)}/teamwork/installedApps`).expand('teamsApp').filter(filter).get()) as { value: InstallationDto[] };
      return page.value.find((i) => !i.teamsApp || i.teamsApp.id === catalogId);
    } catch (e) {
      throw this.failure(e, "list the apps installed for a user", userId);
    }
  }

  /** True when this call installed it; false when Graph says it is already there (another replica won). */
  private async install(userId: string, catalogId: string): Promise<boolean> {
    const bind = `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${encodeURIComponent(catalogId)}`;
    try {
      await this.client.api(`/users/${encodeURIComponent(userId)}/teamwork/installedApps`).post({ 'teamsApp@odata.bind': bind });
      return true;
    } catch (e) {
      if (statusOf(e) === 409) return false;
      if (statusOf(e) === 404) {
        // The user was found a moment ago: the app left the catalog (re-published under a new id?).
        this.catalogApp = undefined;
        throw new DomainError('CONVERSATION.APP_NOT_IN_CATALOG', `Graph no longer finds catalog app ${catalogId} to install for ${userId}.`, { externalId: this.externalId, catalogId });
      }
      throw this.failure(e, 'install the bot for a user', userId);
    }
  }

  private async chatOf(userId: string, installationId: string): Promise<string> {
    try {
      const chat = (await this.client.api(`/users/${encodeURIComponent(userId)}/teamwork/installedApps/${encodeURIComponent(installationId)}/chat`).get()) as ChatDto;
      return chat.id;
    } catch (e) {
      if (statusOf(e) === 404) throw new NotReplicatedYet();
      throw this.failure(e, "read the bot's chat with a user", userId);
    }
  }

  /** Re-runs `read` while Graph has not replicated the install, waiting delay, 2x delay, ... */
  private async withReplication<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (e) {
        if (!(e instanceof NotReplicatedYet)) throw e;
        if (attempt >= this.attempts) {
          throw new DomainError('UPSTREAM.UNAVAILABLE', `Microsoft Graph did not show the bot's chat with the user after ${this.attempts} reads (still replicating the installation).`, { service: 'graph', action: "read the bot's chat with a user", status: 404, attempts: this.attempts });
        }
        if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs * 2 ** (attempt - 1)));
      }
    }
  }

  /** 404 on a user's routes: no such user; 403 anywhere: no permission, or the user cannot use Teams. */
  private failure(e: unknown, action: string, userId: string): DomainError {
    const status = statusOf(e);
    const graph = toDomainError(e, action);
    if (status === 404 && userId) return userNotFound(userId);
    if (status === 403) {
      return new DomainError('CONVERSATION.INSTALL_FORBIDDEN', `Microsoft Graph refused to let me ${action} (${String(graph.details.graphCode ?? status)}): ${(e as Error).message}`, { ...graph.details, ...(userId ? { userId } : {}) });
    }
    return graph;
  }
}

/** OData string literal body: a quote is doubled. */
const odataString = (value: string) => value.replace(/'/g, "''");

const userNotFound = (userId: string) => new DomainError('CONVERSATION.USER_NOT_FOUND', `The directory has no user ${userId} to install the bot for.`, { userId });
