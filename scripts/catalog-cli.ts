/**
 * Catalog import from the command line:
 *
 *   npm run catalog -- import <file-or-folder...>
 *
 * Against MONGODB_URI (+ MONGODB_DB, default "idp"), or, when it is unset, the sandbox store file
 * under DATA_DIR (`store/db.bson`, the one `npm start` opens). Prints what changed per location,
 * every problem and note; exit 0 when nothing was rejected, 1 when an entity was rejected or a
 * location could not be read, 2 on wrong usage. The work is in catalog/import-command.ts.
 */
import { runCatalogCli } from './catalog/import-command';

runCatalogCli(process.argv.slice(2), process.env, { log: (l) => console.log(l), error: (l) => console.error(l) }).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
