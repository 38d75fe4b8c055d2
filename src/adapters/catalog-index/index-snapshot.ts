/**
 * An index snapshot: a sealed IndexState as bytes, so a replica starts by loading ~100 MB in a few
 * large reads instead of streaming and re-indexing every entity (100k entities: 10-20 s from the
 * embedded store, ~2 s from a snapshot). The snapshot is a cache of the store: it carries the
 * revision it is current to, and the caller tops it up with `changedSince` from there.
 *
 * Layout: "IDXS", a u32 header length, a JSON header naming each section's [offset, length] in
 * file order, then the sections, each padded to 4 bytes. Records are the RecordTable's own bytes
 * (its chunks and slot offsets), so loading them is a copy, not a parse.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { IndexState } from './index-state';
import type { SealedArrays } from './hash-multimap';

const MAGIC = 'IDXS';
const MAPS = ['refs', 'text', 'urls', 'hosts', 'typos', 'wordTypos', 'relations'] as const;

/**
 * Snapshots are only read by the code that wrote them: the format is a hash of the modules that
 * decide what the index holds (keys, tokenizer, URL forms, codec, layout) plus byte order, so any
 * change to them makes older snapshots unreadable, and the replica rebuilds from the store instead.
 */
export const SNAPSHOT_FORMAT = formatFingerprint([
  './index-snapshot', './index-state', './catalog-record', './relation-graph', './details-codec', './hash-multimap', './deletion-index',
  './record-table', './fnv-hash', '../../domain/catalog/catalog-keys', '../../domain/catalog/catalog-text', '../../domain/catalog/catalog-url',
  '../../domain/catalog/match-index',
]);

function formatFingerprint(modules: string[]): string {
  const hash = createHash('sha256').update(os.endianness());
  for (const m of modules) hash.update(readFileSync(require.resolve(m)));
  return hash.digest('hex').slice(0, 16);
}

/** Bytes of the state's parts; undefined when the state cannot be snapshotted now (see IndexState.parts). */
export function encodeIndexSnapshot(state: IndexState): Buffer | undefined {
  const parts = state.parts();
  if (!parts) return undefined;
  const sections: [string, Buffer][] = [];
  const json = (name: string, value: unknown) => sections.push([name, Buffer.from(JSON.stringify(value), 'utf8')]);
  const u32 = (name: string, a: Uint32Array) => sections.push([name, Buffer.from(a.buffer, a.byteOffset, a.byteLength)]);
  const { chunks, slots } = parts.records;
  json('meta', { chunks: chunks.length });
  json('codec', parts.codecTables);
  json('vocabulary', parts.vocabulary);
  u32('records.slots', slots);
  chunks.forEach((c, k) => sections.push([`records.${k}`, c]));
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

/**
 * The state encodeIndexSnapshot wrote, read from its bytes in pieces (in order): each piece can go
 * as soon as its sections are read, so loading never holds the whole snapshot in memory. Throws on
 * bytes that are not a whole snapshot.
 */
export async function decodeIndexSnapshot(pieces: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<IndexState> {
  const input = new PieceReader(pieces);
  const head = await input.take(8);
  if (head.toString('latin1', 0, 4) !== MAGIC) throw new Error('index snapshot: not a snapshot');
  const headerLength = head.readUInt32LE(4);
  let index: Record<string, [number, number]>;
  try {
    index = JSON.parse((await input.take(headerLength)).toString('utf8')) as Record<string, [number, number]>;
  } catch (e) {
    throw new Error(`index snapshot: bad header (${(e as Error).message})`);
  }
  await input.take(align(8 + headerLength) - 8 - headerLength);
  const sections = new Map<string, Buffer>();
  for (const [name, [, length]] of Object.entries(index)) {
    const bytes = await input.take(length);
    await input.take(align(length) - length);
    sections.set(name, Buffer.from(bytes)); // a copy: the piece it came from can go
  }
  const section = (name: string) => {
    const bytes = sections.get(name);
    if (!bytes) throw new Error(`index snapshot: section ${name} is missing`);
    return bytes;
  };
  const json = <T>(name: string) => JSON.parse(section(name).toString('utf8')) as T;
  const u32 = (name: string) => {
    const bytes = section(name);
    return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  };
  const vocabulary = json<string[]>('vocabulary');
  const offsets = u32('postings.offsets');
  const codes = u32('postings.codes');
  const maps = Object.fromEntries(MAPS.map((m) => [m, { hashes: u32(`${m}.hashes`), values: u32(`${m}.values`) }])) as Record<(typeof MAPS)[number], SealedArrays>;
  const nameWords = section('nameWords');
  const { chunks } = json<{ chunks: number }>('meta');
  return IndexState.fromParts({
    records: { chunks: Array.from({ length: chunks }, (_, k) => section(`records.${k}`)), slots: u32('records.slots') },
    codecTables: json<string[][]>('codec'),
    ...maps,
    vocabulary,
    postings: vocabulary.map((_, i) => codes.subarray(offsets[i], offsets[i + 1])),
    nameWords: new Uint8Array(nameWords.buffer, nameWords.byteOffset, nameWords.byteLength),
  });
}

/** Reads exact byte counts from a sequence of pieces of any size. */
class PieceReader {
  private readonly pieces: AsyncIterator<Buffer> | Iterator<Buffer>;
  private current: Buffer = Buffer.alloc(0);
  private at = 0;

  constructor(source: AsyncIterable<Buffer> | Iterable<Buffer>) {
    this.pieces = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  /** The next `n` bytes: a view into the current piece when they lie in it, else a copy. */
  async take(n: number): Promise<Buffer> {
    if (this.current.length - this.at >= n) {
      const out = this.current.subarray(this.at, this.at + n);
      this.at += n;
      return out;
    }
    const out = Buffer.allocUnsafeSlow(n);
    let filled = 0;
    while (filled < n) {
      if (this.at === this.current.length) {
        const next = await this.pieces.next();
        if (next.done) throw new Error('index snapshot: cut short');
        this.current = next.value;
        this.at = 0;
      }
      const copied = this.current.copy(out, filled, this.at, Math.min(this.current.length, this.at + n - filled));
      filled += copied;
      this.at += copied;
    }
    return out;
  }
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

const align = (n: number) => (n + 3) & ~3;
