/**
 * How our descriptor reading compares with Backstage's, on a folder of descriptors:
 *
 *   npm run catalog:compat -- <folder>...
 *
 * Prints, per folder: documents read, Backstage's verdicts, entities kept / rejected (by reason),
 * placeholders (read from a file / kept as a URL reference / unreadable), YAML skipped as not an
 * entity, entities naming an owner, and every document where we differ from Backstage.
 */
import { compareFolder } from '../test/helpers/backstage-compat';

async function main(folders: string[]): Promise<number> {
  if (!folders.length) {
    console.error('Usage: npm run catalog:compat -- <folder>...');
    return 2;
  }
  let differ = 0;
  for (const folder of folders) {
    const c = await compareFolder(folder);
    const rejected = [...c.rejectedBy.values()].reduce((a, b) => a + b, 0);
    console.log(`\n${folder}`);
    console.log(`  documents read            ${c.documents}`);
    console.log(`  Backstage                 kept ${c.backstage.kept}, rejected ${c.backstage.rejected}, Location ${c.backstage.location}, not an entity ${c.backstage['not-entity']}`);
    console.log(`  ours                      kept ${c.kept}, rejected ${rejected}, skipped (not an entity) ${c.skipped}`);
    console.log(`  placeholders              file ${c.placeholders.file}, URL reference ${c.placeholders.url}, unreadable ${c.placeholders.unread}`);
    console.log(`  entities naming an owner  ${c.withOwner} of ${c.kept}`);
    console.log('  rejected, by reason:');
    for (const [reason, n] of [...c.rejectedBy].sort((a, b) => b[1] - a[1])) console.log(`    ${String(n).padStart(4)}  ${reason}`);
    console.log(`  differences from Backstage: ${c.mismatches.length}`);
    for (const m of c.mismatches) console.log(`    ${m}`);
    differ += c.mismatches.length;
  }
  return differ ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
