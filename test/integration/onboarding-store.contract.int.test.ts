/** The onboarding store contract on MongoOnboardingStore (the run's store, a database per test). */
import { MongoOnboardingStore } from '../../src/adapters/mongo/mongo-onboarding-store.adapter';
import { onboardingStoreContract } from '../contracts/onboarding-store.contract';
import { openTestDatabase } from '../helpers/test-database';

onboardingStoreContract('MongoDB', async () => {
  const { conn, close } = await openTestDatabase('onboardings');
  return { store: new MongoOnboardingStore(conn), close };
});
