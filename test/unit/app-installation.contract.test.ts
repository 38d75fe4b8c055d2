/** The AppInstallation contract on the in-memory fake (Graph: test/integration/app-installation.contract.int.test.ts). */
import { appInstallationContract } from '../contracts/app-installation.contract';
import { InMemoryAppInstallation } from '../fakes/in-memory-app-installation';

appInstallationContract('InMemoryAppInstallation', async () => {
  let fake = new InMemoryAppInstallation();
  return {
    installation: { ensureInstalledFor: (userId) => fake.ensureInstalledFor(userId) },
    notInCatalog: () => new InMemoryAppInstallation({ published: false }),
    isInstalledFor: async (userId) => fake.installed.has(userId.toLowerCase()),
    reset: async () => {
      fake = new InMemoryAppInstallation();
    },
    close: async () => undefined,
  };
});
