/** The generated catalog (test/fixtures/catalog-generator.ts) the matching-quality contract and the benches use. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDescriptors } from '../../src/domain/catalog/descriptor-parser';
import type { CatalogEntityInput } from '../../src/domain/catalog/catalog.types';
import { generateCatalog, writeCatalogYaml } from '../fixtures/catalog-generator';

describe('generated catalog as catalog-info.yaml', () => {
  it('writes descriptors the importer reads back to the same entities', async () => {
    const entities = generateCatalog({ entities: 400, seed: 3 });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'catalog-yaml-'));
    try {
      const files = await writeCatalogYaml(dir, entities, 150);
      expect(files).toHaveLength(3);
      const parsed = (await Promise.all(files.map(async (f) => parseDescriptors(await readFile(f, 'utf8'), `file:${f}`)))).flatMap((p) => {
        expect(p.problems).toEqual([]);
        return p.entities;
      });
      expect(parsed).toHaveLength(entities.length);
      const byRef = new Map(entities.map((e) => [e.ref, e]));
      for (const e of parsed) {
        const original = byRef.get(e.ref)!;
        expect({ ref: e.ref, owner: e.owner, aliases: e.aliases, source: e.source, contacts: e.contacts, current: e.onCall?.current?.email })
          .toEqual({ ref: original.ref, owner: original.owner, aliases: original.aliases, source: original.source, contacts: original.contacts, current: original.onCall?.current?.email });
        const relations = (x: CatalogEntityInput) => x.relations.map((r) => `${r.type} ${r.target}`).sort();
        expect(relations(e)).toEqual(relations(original));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
