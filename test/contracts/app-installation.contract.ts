/**
 * What every AppInstallation must do, run on the in-memory fake (test/unit) and on
 * GraphAppInstallation + the Graph stand-in (test/integration), so the fake cannot drift. The
 * data is the demo organisation: the bot is installed for everyone enabled but Henry (a joiner
 * who never opened Teams); Ivan's account is disabled.
 */
import type { AppInstallation } from '../../src/domain/conversations/app-installation.port';
import { isDomainError } from '../../src/domain/domain-error';
import { userBySlug } from '../../src/sandbox/seed/demo-org';

export interface AppInstallationFixture {
  installation: AppInstallation;
  /** An AppInstallation for a manifest id the org catalog does not hold. */
  notInCatalog(): AppInstallation;
  /** Whether the backing store holds an installation for the user. */
  isInstalledFor(userId: string): Promise<boolean>;
  /** Back to the demo organisation. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const alice = userBySlug('alice');
const henry = userBySlug('henry');
const ivan = userBySlug('ivan');
const UNKNOWN_ID = '99999999-0000-4000-a000-000000000999';
const PERSONAL_CHAT = /^19:[^@\s]+@unq\.gbl\.spaces$/;

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (isDomainError(e) ? e.code : `not a DomainError: ${String(e)}`));

export function appInstallationContract(name: string, open: () => Promise<AppInstallationFixture>): void {
  describe(`AppInstallation contract: ${name}`, () => {
    let f: AppInstallationFixture;
    beforeAll(async () => {
      f = await open();
    });
    afterAll(async () => {
      await f?.close();
    });
    beforeEach(async () => {
      await f.reset();
    });

    it('answers the 1:1 chat of someone who has the app, installing nothing', async () => {
      const first = await f.installation.ensureInstalledFor(alice.id);
      expect(first).toEqual({ chatId: expect.stringMatching(PERSONAL_CHAT), installedNow: false });
      await expect(f.installation.ensureInstalledFor(alice.id)).resolves.toEqual(first);
    });

    it('installs the app for someone who never opened it, once, and answers their own chat', async () => {
      expect(await f.isInstalledFor(henry.id)).toBe(false);
      const installed = await f.installation.ensureInstalledFor(henry.id);
      expect(installed).toEqual({ chatId: expect.stringMatching(PERSONAL_CHAT), installedNow: true });
      expect(await f.isInstalledFor(henry.id)).toBe(true);
      await expect(f.installation.ensureInstalledFor(henry.id)).resolves.toEqual({ chatId: installed.chatId, installedNow: false });
      expect(installed.chatId).not.toBe((await f.installation.ensureInstalledFor(alice.id)).chatId);
    });

    it('two calls at once for the same person: one install, one chat', async () => {
      const both = await Promise.all([f.installation.ensureInstalledFor(henry.id), f.installation.ensureInstalledFor(henry.id)]);
      expect(new Set(both.map((b) => b.chatId)).size).toBe(1);
      expect(both.filter((b) => b.installedNow)).toHaveLength(1);
    });

    it('refuses an unknown user and a blank id as USER_NOT_FOUND', async () => {
      await expect(codeOf(f.installation.ensureInstalledFor(UNKNOWN_ID))).resolves.toBe('CONVERSATION.USER_NOT_FOUND');
      await expect(codeOf(f.installation.ensureInstalledFor(''))).resolves.toBe('CONVERSATION.USER_NOT_FOUND');
    });

    it('refuses someone who cannot use Teams (a disabled account), installing nothing', async () => {
      await expect(codeOf(f.installation.ensureInstalledFor(ivan.id))).resolves.toBe('CONVERSATION.INSTALL_FORBIDDEN');
      expect(await f.isInstalledFor(ivan.id)).toBe(false);
    });

    it('refuses when the app is not in the org catalog, installing nothing', async () => {
      await expect(codeOf(f.notInCatalog().ensureInstalledFor(henry.id))).resolves.toBe('CONVERSATION.APP_NOT_IN_CATALOG');
      expect(await f.isInstalledFor(henry.id)).toBe(false);
    });
  });
}
