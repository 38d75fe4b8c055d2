/** The onboarding store contract on the in-memory fake (Mongo adapter: test/integration/onboarding-store.contract.int.test.ts). */
import { onboardingStoreContract } from '../contracts/onboarding-store.contract';
import { InMemoryOnboardingStore } from '../fakes/in-memory-onboarding-store';

onboardingStoreContract('in memory', async () => ({ store: new InMemoryOnboardingStore(), close: async () => undefined }));
