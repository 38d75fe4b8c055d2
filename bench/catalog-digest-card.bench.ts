/**
 * The digest card's JSON size for teams with many failing checks (Teams refuses a message over
 * ~28 KB): how many checks each rule lists once the card is fitted. `npx tsx bench/catalog-digest-card.bench.ts`
 */
import { digestCard } from '../dialogs/catalog-digest/catalog-digest.views';
import { composeDigest } from '../src/domain/catalog-digest/digest-composition';
import { LINK_HOSTS, manyFindings, RULES, run, teamHealth } from '../test/fixtures/digest-fixtures';

for (const n of [10, 50, 200, 1000, 5000]) {
  const digest = composeDigest({ run: run('r', '2026-12-07T08:00:00Z'), current: teamHealth('r', manyFindings(n)), teamName: 'Payments', rules: RULES, waiverOf: () => undefined, fixes: [], maxPerRule: 5 });
  const began = process.hrtime.bigint();
  const card = digestCard(digest, LINK_HOSTS);
  const ms = Number(process.hrtime.bigint() - began) / 1e6;
  const json = JSON.stringify(card);
  const listed = (json.match(/"title":"Snooze 30 days"/g) ?? []).length;
  console.log(`${String(n).padStart(5)} failing checks, ${digest.groups.length} rules: ${Buffer.byteLength(json, 'utf8').toLocaleString('en-US')} bytes, ${listed} checks listed with buttons, rendered in ${ms.toFixed(1)} ms`);
}
