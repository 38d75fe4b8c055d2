/**
 * AppInstallation in memory, seeded like the Graph stand-in (the demo catalog app installed for
 * every enabled demo user but Henry). Same answers as GraphAppInstallation + the stand-in (the
 * app-installation contract runs on both), with the same chat ids.
 */
import type { AppInstallation, PersonalChatInstall } from '../../src/domain/conversations/app-installation.port';
import { DomainError } from '../../src/domain/domain-error';
import { DEMO_TEAMS_APP, DEMO_USERS } from '../../src/sandbox/seed/demo-org';
import { demoUsersWithTheApp, personalChatId } from '../../src/sandbox/standins/graph-teamwork';

export interface InMemoryAppInstallationOptions {
  /** False: the app is not in the org catalog (every call refuses). Default true. */
  published?: boolean;
  /** Users the directory knows, and whether they may use Teams. Default: the demo organisation. */
  users?: { id: string; accountEnabled?: boolean }[];
  /** Who has the app already. Default: as the Graph stand-in seeds it. */
  installedFor?: string[];
}

export class InMemoryAppInstallation implements AppInstallation {
  /** user id -> chat id */
  readonly installed = new Map<string, string>();
  /** Calls that reached the "directory" (a test counts them to see a cache at work). */
  calls = 0;
  /** When set, every call fails with it (an outage, throttling). */
  outage?: DomainError;
  private readonly users: Map<string, boolean>;
  private readonly published: boolean;

  constructor(options: InMemoryAppInstallationOptions = {}) {
    this.users = new Map((options.users ?? DEMO_USERS).map((u) => [u.id.toLowerCase(), u.accountEnabled !== false]));
    this.published = options.published ?? true;
    for (const id of options.installedFor ?? demoUsersWithTheApp()) this.installed.set(id.toLowerCase(), personalChatId(DEMO_TEAMS_APP.externalId, id));
  }

  async ensureInstalledFor(userId: string): Promise<PersonalChatInstall> {
    this.calls++;
    if (this.outage) throw this.outage;
    if (!this.published) throw new DomainError('CONVERSATION.APP_NOT_IN_CATALOG', 'The app is not in the org catalog.', {});
    const key = userId.toLowerCase();
    const enabled = this.users.get(key);
    if (enabled === undefined) throw new DomainError('CONVERSATION.USER_NOT_FOUND', `No user ${userId}.`, { userId });
    const existing = this.installed.get(key);
    if (existing) return { chatId: existing, installedNow: false };
    if (!enabled) throw new DomainError('CONVERSATION.INSTALL_FORBIDDEN', `User ${userId} cannot use Teams.`, { userId });
    const chatId = personalChatId(DEMO_TEAMS_APP.externalId, key);
    this.installed.set(key, chatId);
    return { chatId, installedNow: true };
  }
}
