// Persistence for the sandbox store, replacing CongoDB's own (one JSON.stringify of the whole store:
// past ~512 MB, a 100k-entity catalog plus an index snapshot, it throws "Invalid string length" and
// nothing is saved; it also turns binary data into base64 text and dates into strings on restore).
// The file is a sequence of BSON documents, like mongodump's: a header, then per collection a
// { db, coll, indexes, count } document followed by its `count` documents. Writes go to a temporary
// file renamed into place, so a crash mid-save leaves the previous file whole.
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { congodb } from '@push.rocks/smartmongo';

const { serialize, deserialize } = congodb.plugins.bson;
const FORMAT = 'idp-sandbox-store/1';

/** Writes every database of `storage` (CongoDB's MemoryStorageAdapter) to `file`. */
export async function saveStore(storage, file) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  const write = async (doc) => {
    if (!out.write(serialize(doc))) await once(out, 'drain');
  };
  await write({ format: FORMAT, opLogCounter: storage.opLogCounter ?? 0 });
  for (const [db, collections] of storage.databases) {
    for (const [coll, docs] of collections) {
      const all = Array.from(docs.values()); // this moment's documents; later writes mark the store dirty again
      await write({ db, coll, indexes: storage.indexes.get(db)?.get(coll) ?? [], count: all.length });
      for (const doc of all) await write(doc);
    }
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, file);
}

/** Loads what saveStore wrote into an empty `storage`; false when `file` does not exist. */
export function loadStore(storage, file) {
  if (!existsSync(file)) return false;
  const buf = readFileSync(file);
  let offset = 0;
  const next = () => {
    const size = buf.readInt32LE(offset);
    const doc = deserialize(buf.subarray(offset, offset + size));
    offset += size;
    return doc;
  };
  const header = next();
  if (header.format !== FORMAT) throw new Error(`${file} is not a sandbox store file (${header.format})`);
  while (offset < buf.length) {
    const { db, coll, indexes, count } = next();
    if (!storage.databases.has(db)) {
      storage.databases.set(db, new Map());
      storage.indexes.set(db, new Map());
    }
    const docs = new Map();
    for (let i = 0; i < count; i++) {
      const doc = next();
      docs.set(doc._id.toHexString(), doc);
    }
    storage.databases.get(db).set(coll, docs);
    storage.indexes.get(db).set(coll, indexes);
  }
  storage.opLogCounter = header.opLogCounter;
  return true;
}
