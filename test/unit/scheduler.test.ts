/** The Scheduler on the in-memory JobStore (on MongoJobStore: test/integration/scheduler.int.test.ts). */
import { InMemoryJobStore } from '../fakes/in-memory-job-store';
import { schedulerSuite } from '../helpers/scheduler-suite';

schedulerSuite('InMemoryJobStore', async () => ({ store: new InMemoryJobStore(), close: async () => undefined }));
