/**
 * RecordTable: the index's records as bytes outside the JS heap. A record reads back exactly as it
 * went in (unicode, empty lists, a record bigger than a chunk), killed slots stay dead (also in the
 * cache), and a table rebuilt from its parts (a snapshot) holds the same records.
 */
import type { CatalogRecord } from '../../src/adapters/catalog-index/catalog-record';
import { RecordTable } from '../../src/adapters/catalog-index/record-table';

function record(name: string, overrides: Partial<CatalogRecord> = {}): CatalogRecord {
  return {
    ref: `component:default/${name}`, kind: 'Component', name, title: `The ${name}`, description: undefined, type: 'service',
    owner: 'group:default/payments', system: undefined, domain: undefined, tier: 'tier-1', lifecycle: 'production',
    tags: ['pci'], aliases: [], displayName: undefined, repository: { project: 'Payments', name }, pipelines: [`${name}-ci`],
    secretPrefix: undefined, relations: [3, 17], revision: 42, details: `[["d",1],"${name}"]`, ...overrides,
  };
}

/** What fromRow gives back for a record: absent optional fields are undefined, lists are lists. */
const comparable = (r: CatalogRecord | undefined) => (r ? JSON.parse(JSON.stringify(r)) : r);

describe('RecordTable', () => {
  it('reads back every record it was given, by slot, and the ref without decoding the rest', () => {
    const table = new RecordTable();
    const records = Array.from({ length: 3000 }, (_, i) => record(`service-${i}`, { revision: i + 1 }));
    const slots = records.map((r) => table.append(r));
    expect(slots).toEqual(records.map((_, i) => i));
    expect(table.length).toBe(3000);
    for (const i of [0, 1, 1234, 2999]) {
      expect(comparable(table.get(i))).toEqual(comparable(records[i]));
      expect(comparable(table.read(i))).toEqual(comparable(records[i]));
      expect(table.refOf(i)).toBe(records[i].ref);
    }
    expect(table.get(3000)).toBeUndefined();
    expect(table.get(-1)).toBeUndefined();
    expect(table.refOf(3000)).toBeUndefined();
  });

  it('keeps unicode, quotes and empty optional fields exact', () => {
    const table = new RecordTable();
    const odd = record('zahlungs-dienst', {
      title: 'Zahlungsdienst für Überweisungen — "prod" ✓', description: 'line one\nline two\t"quoted" \\ backslash 日本語',
      tags: [], aliases: ['zd', 'überweisung'], repository: undefined, pipelines: [], relations: [], details: '{"x":"ü\\"✓"}',
      owner: undefined, tier: undefined,
    });
    const slot = table.append(odd);
    expect(comparable(table.get(slot))).toEqual(comparable(odd));
    expect(table.get(slot)?.repository).toBeUndefined();
    expect(table.get(slot)?.owner).toBeUndefined();
  });

  it('takes a record bigger than a chunk (a group with thousands of members) and keeps appending after it', () => {
    const table = new RecordTable();
    const small = table.append(record('before'));
    const huge = record('big-group', { details: 'm'.repeat(5 * 1024 * 1024) });
    const big = table.append(huge);
    const after = table.append(record('after'));
    expect(table.get(big)?.details.length).toBe(5 * 1024 * 1024);
    expect(table.get(small)?.name).toBe('before');
    expect(table.get(after)?.name).toBe('after');
  });

  it('a killed slot is dead for get, read, refOf and isLive, also after it was cached', () => {
    const table = new RecordTable();
    const a = table.append(record('alpha'));
    const b = table.append(record('beta'));
    expect(table.get(a)?.name).toBe('alpha'); // now cached
    table.kill(a);
    table.kill(a); // twice is harmless
    expect(table.isLive(a)).toBe(false);
    expect(table.get(a)).toBeUndefined();
    expect(table.read(a)).toBeUndefined();
    expect(table.refOf(a)).toBeUndefined();
    expect(table.get(b)?.name).toBe('beta');
    expect(table.length).toBe(2);
  });

  it('slots that share a cache line each read back their own record', () => {
    const table = new RecordTable();
    for (let i = 0; i < 10_000; i++) table.append(record(`s-${i}`));
    // 4096 cache entries: slots 5, 4101 and 8197 share one.
    for (const slot of [5, 4101, 8197, 5, 8197, 4101]) expect(table.get(slot)?.name).toBe(`s-${slot}`);
  });

  it('a table rebuilt from its parts holds the same records, dead slots included, and takes new ones', () => {
    const table = new RecordTable();
    for (let i = 0; i < 2000; i++) table.append(record(`svc-${i}`, { description: `service number ${i} `.repeat(i % 50) }));
    table.kill(7);
    const parts = table.parts();
    // A snapshot copies the bytes: the rebuilt table must not depend on the original's memory.
    const copy = RecordTable.fromParts({ chunks: parts.chunks.map((c) => Buffer.from(c)), slots: parts.slots.slice() });
    expect(copy.length).toBe(2000);
    expect(copy.isLive(7)).toBe(false);
    for (const i of [0, 6, 8, 999, 1999]) expect(comparable(copy.get(i))).toEqual(comparable(table.get(i)));
    const next = copy.append(record('newcomer'));
    expect(next).toBe(2000);
    expect(copy.get(next)?.name).toBe('newcomer');
    expect(copy.get(1999)?.name).toBe('svc-1999');
  });

  it('an empty table round-trips through its parts', () => {
    const copy = RecordTable.fromParts(new RecordTable().parts());
    expect(copy.length).toBe(0);
    expect(copy.get(copy.append(record('first')))?.name).toBe('first');
  });

  it('refuses parts whose offsets point outside the chunks (damaged snapshot)', () => {
    const table = new RecordTable();
    table.append(record('one'));
    const parts = table.parts();
    expect(() => RecordTable.fromParts({ chunks: [], slots: parts.slots })).toThrow(/record table/);
    expect(() => RecordTable.fromParts({ chunks: [parts.chunks[0].subarray(0, 3)], slots: parts.slots })).toThrow(/record table/);
    expect(() => RecordTable.fromParts({ chunks: parts.chunks, slots: parts.slots.subarray(0, 3) })).toThrow(/record table/);
    const swapped = parts.slots.slice();
    [swapped[2], swapped[3]] = [swapped[3], swapped[2]]; // ref end after hot end
    expect(() => RecordTable.fromParts({ chunks: parts.chunks, slots: swapped })).toThrow(/record table/);
  });
});
