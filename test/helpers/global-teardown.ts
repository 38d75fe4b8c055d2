export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __embeddedMongo?: { stop(): Promise<void> } }).__embeddedMongo?.stop();
}
