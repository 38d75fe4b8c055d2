/**
 * `npm run manifest`: builds dist/manifest/idp-bot.zip from configuration (TEAMS_APP_ID or
 * MicrosoftAppId, PUBLIC_URL; the sandbox gets a fixed demo id). Exits 1 listing every schema
 * error, so CI fails before a broken package reaches Teams.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { buildManifestPackage, manifestOptionsFromConfig } from './manifest-package';

const OUTPUT = path.join(__dirname, '..', 'dist', 'manifest', 'idp-bot.zip');

async function main(): Promise<number> {
  const options = manifestOptionsFromConfig(loadConfig());
  const result = await buildManifestPackage(options);
  if (!result.zip) {
    console.error(`manifest: ${result.errors.length} error(s):`);
    for (const error of result.errors) console.error(`  - ${error}`);
    return 1;
  }
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, result.zip);
  console.log(`manifest: app ${options.appId}, bot ${options.botId}, ${options.publicUrl} -> ${path.relative(process.cwd(), OUTPUT)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`manifest: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
