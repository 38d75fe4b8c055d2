import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

/**
 * Settings for one bot instance in a test: sandbox mode, a free port, the run's shared store with
 * a database of its own (pass `db` to make two instances share one), a temporary data dir.
 */
export function testEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup starts the store');
  return {
    BOT_MODE: 'sandbox',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'idp-bot-test-')),
    MONGODB_URI: uri,
    MONGODB_DB: `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_MS: '3000',
    ...overrides,
  };
}
