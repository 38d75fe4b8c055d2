/**
 * How our descriptor reading compares with Backstage's, on a folder of descriptors:
 *
 *   npm run catalog:compat -- <folder>...
 *
 * Prints, per folder: documents read, Backstage's verdicts, entities kept / rejected (by reason),
 * placeholders (read from a file / kept as a URL reference / unreadable), YAML skipped as not an
 * entity, entities naming an owner, and every document where we differ from Backstage.
 */
import { FileDescriptorSource } from '../src/adapters/files/file-descriptor-source.adapter';
import { CatalogImportService } from '../src/domain/catalog/catalog-import.service';
import type { CatalogEntity } from '../src/domain/catalog/catalog.types';
import { CatalogQueryService } from '../src/domain/catalog/catalog-query.service';
import { InMemoryCatalogSearch } from '../src/adapters/catalog-index/in-memory-catalog-search';
import { catalogAnswerCard } from '../dialogs/catalog/catalog.views';
import { InMemoryAuditLog } from '../test/fakes/in-memory-audit-log';
import { InMemoryCatalogStore } from '../test/fakes/in-memory-catalog-store';
import { compareFolder } from '../test/helpers/backstage-compat';

/** The folder imported as the CLI imports it (Location entities followed), into a store in memory. */
async function folderImport(folder: string) {
  const store = new InMemoryCatalogStore();
  const results = await new CatalogImportService({ store, audit: new InMemoryAuditLog(), descriptors: new FileDescriptorSource() }).importLocations([folder]);
  const problems = results.flatMap((r) => r.problems);
  const active = await store.count({ status: 'active' });
  const entities: CatalogEntity[] = [];
  for (let revision = 0; ; ) {
    const page = await store.changedSince(revision, 1000);
    entities.push(...page.filter((e) => e.status === 'active'));
    if (page.length < 1000) break;
    revision = page[page.length - 1]!.revision;
  }
  const apis = entities.filter((e) => e.kind === 'API');
  const bySource = (s: string) => apis.filter((a) => (a.definition?.source ?? 'none') === s).length;
  const kinds = new Map<string, number>();
  for (const e of entities) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  return {
    answers: await ownerAnswers(store, entities),
    active,
    owners: entities.filter((e) => e.owner).length,
    apis: `${apis.length} (definition inline ${bySource('inline')}, file ${bySource('file')}, URL ${bySource('url')}, none ${bySource('none')})`,
    kinds: [...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', '), problems: problems.length, targetsNotFound: problems.filter((p) => /Location target/.test(p.reason)).length, conflicts: problems.filter((p) => /already defined/.test(p.reason)).length, notes: results.flatMap((r) => r.notes).length };
}

/**
 * "who owns <name>" for every uniquely named entity that names an owner, as a person would ask it:
 * right when the answer is that entity, its owner is the descriptor's, and the card shows the owner's
 * name and never says "nobody" (whether the owner is in the catalog or not).
 */
async function ownerAnswers(store: InMemoryCatalogStore, entities: CatalogEntity[]) {
  const index = new InMemoryCatalogSearch(store);
  await index.build();
  const query = new CatalogQueryService({ index });
  const nameCount = new Map<string, number>();
  for (const e of entities) nameCount.set(e.name, (nameCount.get(e.name) ?? 0) + 1);
  const asked = entities.filter((e) => e.owner && e.kind !== 'Group' && e.kind !== 'User' && nameCount.get(e.name) === 1);
  let right = 0;
  let ownerInCatalog = 0;
  const wrong: string[] = [];
  for (const e of asked) {
    const answer = await query.whoOwns(e.name);
    // The card's text with markdown escapes removed: `a\\_b` reads `a_b`.
    const card = JSON.stringify(catalogAnswerCard({ intent: 'owner', answer } as Parameters<typeof catalogAnswerCard>[0])).replace(/\\\\/g, '');
    const owner = answer.kind === 'found' ? answer.owner : undefined;
    const names = owner ? [owner.title, owner.displayName, owner.name] : [e.owner!.split('/').pop()!];
    const shownAs = names.find((n): n is string => !!n && card.includes(n)) ?? names.filter(Boolean).join(' / ');
    const ok = answer.kind === 'found' && answer.entity.ref === e.ref && answer.declaredOwner?.ref === e.owner && card.includes(shownAs) && !/nobody/i.test(card);
    if (answer.kind === 'found' && answer.owner) ownerInCatalog++;
    if (ok) right++;
    else wrong.push(`${e.ref} (owner ${e.owner}): ${answer.kind === 'found' ? `answered ${answer.entity.ref}, owner shown ${card.includes(shownAs) ? 'as written' : `differently (${card.match(/"title":"Owner","value":"([^"]*)"/)?.[1] ?? 'no Owner fact'} vs ${shownAs})`}${/nobody/i.test(card) ? ', says nobody' : ''}` : answer.kind}`);
  }
  return { asked: asked.length, right, ownerInCatalog, wrong };
}

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
    const imported = await folderImport(folder);
    console.log(`  folder import (as the CLI) stored ${imported.active} entities, ${imported.owners} naming an owner; problems ${imported.problems} (Location targets not found ${imported.targetsNotFound}, declared in two files ${imported.conflicts}); notes ${imported.notes}`);
    console.log(`    kinds: ${imported.kinds}`);
    console.log(`    APIs: ${imported.apis}`);
    const a = imported.answers;
    console.log(`  "who owns <name>" for ${a.asked} uniquely named owned entities: ${a.right} right (owner shown as written), ${a.ownerInCatalog} with the owner in the catalog, ${a.asked - a.right} wrong`);
    for (const w of a.wrong.slice(0, 20)) console.log(`    wrong: ${w}`);
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
