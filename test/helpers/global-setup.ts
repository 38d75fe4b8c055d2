import { startEmbeddedMongo } from '../../src/sandbox/embedded-mongo';

/**
 * One store for the whole run. With MONGODB_URI set, the suite runs against that real server
 * instead (each test file uses its own database).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) return;
  const mongo = await startEmbeddedMongo();
  process.env.MONGODB_URI = mongo.uri;
  process.env.TEST_EMBEDDED_MONGO = '1';
  (globalThis as { __embeddedMongo?: { stop(): Promise<void> } }).__embeddedMongo = mongo;
}
