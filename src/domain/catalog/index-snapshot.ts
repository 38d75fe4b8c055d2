/**
 * An index snapshot: a sealed IndexState as bytes, so a replica starts by loading ~100 MB in a few
 * large reads instead of streaming and re-indexing every entity (100k entities: ~15 s from the
 * embedded store, ~1.5 s from a snapshot). The snapshot is a cache of the store: it carries the
 * revision it is current to, and the caller tops it up with `changedSince` from there.
 *
 * Layout: "IDXS", a u32 header length, a JSON header naming each section's [offset, length], then
 * the sections, each 4-byte aligned so typed arrays read straight out of them.
 * Records go in sections of RECORDS_PER_SECTION rows (JSON), written and read with yields between
 * them so the event loop keeps answering while a snapshot is made or loaded.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { IndexState, type IndexParts } from './catalog-index-state';
import { fromRow, toRow, type Interner, type RecordRow } from './catalog-record';
import type { SealedArrays } from './hash-multimap';

const MAGIC = 'IDXS';
const RECORDS_PER_SECTION = 5000;
const MAPS = ['refs', 'text', 'urls', 'hosts', 'typos', 'wordTypos', 'relations'] as const;

/**
 * Snapshots are only read by the code that wrote them: the format is a hash of the modules that
 * decide what the index holds (keys, tokenizer, URL forms, codec, layout) plus byte order, so any
 * change to them makes older snapshots unreadable, and the replica rebuilds from the store instead.
 */
export const SNAPSHOT_FORMAT = formatFingerprint([
  './index-snapshot', './catalog-index-state', './catalog-record', './catalog-keys', './catalog-text', './catalog-url',
  './catalog-relations', './details-codec', './hash-multimap', './deletion-index',
]);

function formatFingerprint(modules: string[]): string {
  const hash = createHash('sha256').update(os.endianness());
  for (const m of modules) hash.update(readFileSync(require.resolve(m)));
  return hash.digest('hex').slice(0, 16);
}

/** Bytes of the state's parts; undefined when the state cannot be snapshotted now (see IndexState.parts). */
export async function encodeIndexSnapshot(state: IndexState): Promise<Buffer | undefined> {
  const parts = state.parts();
  if (!parts) return undefined;
  const sections: [string, Buffer][] = [];
  const json = (name: string, value: unknown) => sections.push([name, Buffer.from(JSON.stringify(value), 'utf8')]);
  const u32 = (name: string, a: Uint32Array) => sections.push([name, Buffer.from(a.buffer, a.byteOffset, a.byteLength)]);
  const records = parts.records;
  let recordSections = 0;
  for (let from = 0; from < records.length; from += RECORDS_PER_SECTION) {
    const rows: (RecordRow | null)[] = [];
    for (let i = from; i < Math.min(records.length, from + RECORDS_PER_SECTION); i++) rows.push(records[i] ? toRow(records[i]!) : null);
    json(`records.${recordSections++}`, rows);
    await yieldToEventLoop();
  }
  json('meta', { records: records.length, recordSections });
  json('codec', parts.codecTables);
  json('vocabulary', parts.vocabulary);
  const offsets = new Uint32Array(parts.postings.length + 1);
  parts.postings.forEach((p, i) => (offsets[i + 1] = offsets[i] + p.length));
  const codes = new Uint32Array(offsets[parts.postings.length]);
  parts.postings.forEach((p, i) => codes.set(p, offsets[i]));
  u32('postings.offsets', offsets);
  u32('postings.codes', codes);
  for (const m of MAPS) {
    u32(`${m}.hashes`, parts[m].hashes);
    u32(`${m}.values`, parts[m].values);
  }
  sections.push(['nameWords', Buffer.from(parts.nameWords.buffer, parts.nameWords.byteOffset, parts.nameWords.byteLength)]);
  return pack(sections);
}

/** The state encodeIndexSnapshot wrote. Throws on bytes that are not a whole snapshot. */
export async function decodeIndexSnapshot(bytes: Buffer, intern: Interner): Promise<IndexState> {
  const sections = unpack(bytes);
  const section = (name: string) => {
    const s = sections.get(name);
    if (!s) throw new Error(`index snapshot: section ${name} is missing`);
    return s;
  };
  const json = <T>(name: string) => JSON.parse(section(name).toString('utf8')) as T;
  // Copies (slice), not views: a view would keep the whole snapshot, records text included, alive.
  const u32 = (name: string) => {
    const s = section(name);
    return new Uint32Array(s.buffer, s.byteOffset, s.byteLength / 4).slice();
  };
  const meta = json<{ records: number; recordSections: number }>('meta');
  const records: IndexParts['records'][number][] = [];
  for (let k = 0; k < meta.recordSections; k++) {
    for (const row of json<(RecordRow | null)[]>(`records.${k}`)) records.push(row ? fromRow(row, intern) : undefined);
    await yieldToEventLoop();
  }
  if (records.length !== meta.records) throw new Error(`index snapshot: ${records.length} records, header says ${meta.records}`);
  const vocabulary = json<string[]>('vocabulary');
  const offsets = u32('postings.offsets');
  const codes = u32('postings.codes');
  const maps = Object.fromEntries(MAPS.map((m) => [m, { hashes: u32(`${m}.hashes`), values: u32(`${m}.values`) }])) as Record<(typeof MAPS)[number], SealedArrays>;
  const nameWords = section('nameWords');
  return IndexState.fromParts({
    records,
    codecTables: json<string[][]>('codec'),
    ...maps,
    vocabulary,
    postings: vocabulary.map((_, i) => codes.subarray(offsets[i], offsets[i + 1])),
    nameWords: new Uint8Array(nameWords.buffer, nameWords.byteOffset, nameWords.byteLength).slice(),
  });
}

function pack(sections: [string, Buffer][]): Buffer {
  const index: Record<string, [number, number]> = {};
  let offset = 0;
  for (const [name, bytes] of sections) {
    index[name] = [offset, bytes.length];
    offset += align(bytes.length);
  }
  const header = Buffer.from(JSON.stringify(index), 'utf8');
  const start = align(8 + header.length);
  const out = Buffer.alloc(start + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  for (const [name, bytes] of sections) bytes.copy(out, start + index[name][0]);
  return out;
}

function unpack(bytes: Buffer): Map<string, Buffer> {
  // Typed-array views need 4-byte aligned offsets: copy a buffer that starts unaligned.
  const buf = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  if (buf.length < 8 || buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('index snapshot: not a snapshot');
  const headerLength = buf.readUInt32LE(4);
  const index = JSON.parse(buf.toString('utf8', 8, 8 + headerLength)) as Record<string, [number, number]>;
  const start = align(8 + headerLength);
  const out = new Map<string, Buffer>();
  for (const [name, [offset, length]] of Object.entries(index)) {
    if (start + offset + length > buf.length) throw new Error(`index snapshot: section ${name} is cut short`);
    out.set(name, buf.subarray(start + offset, start + offset + length));
  }
  return out;
}

const align = (n: number) => (n + 3) & ~3;
