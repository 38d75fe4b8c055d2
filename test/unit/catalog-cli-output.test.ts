/** The CLI's verdict and lines: notes (info such as "skipped: not an entity") never fail an import. */
import { exitCodeOf, printResults } from '../../scripts/catalog/import-command';
import type { ImportResult } from '../../src/domain/catalog/catalog.types';

const result = (over: Partial<ImportResult>): ImportResult => ({ location: 'file:/c/a.yaml', created: 0, updated: 0, unchanged: 0, orphaned: 0, problems: [], notes: [], ...over });

describe('catalog CLI output', () => {
  it('exits 0 with notes only, 1 with any problem', () => {
    const noted = result({ created: 1, notes: [{ location: 'file:/c/openapi.yaml', message: 'skipped: not an entity (no apiVersion/kind)' }] });
    expect(exitCodeOf([noted, result({ unchanged: 3 })])).toBe(0);
    expect(exitCodeOf([noted, result({ problems: [{ location: 'file:/c/b.yaml', entity: 'x', reason: 'spec.owner is required' }] })])).toBe(1);
    expect(exitCodeOf([])).toBe(0);
  });

  it('prints what changed per location, its problems and notes, then the totals', () => {
    const lines: string[] = [];
    printResults(
      [
        result({ location: 'file:/c/a.yaml', created: 2, orphaned: 1, notes: [{ location: 'file:/c/a.yaml', message: 'skipped: not an entity' }] }),
        result({ location: 'file:/c/b.yaml', problems: [{ location: 'file:/c/b.yaml', entity: 'x', reason: 'spec.owner is required' }] }),
      ],
      1500,
      { log: (l) => void lines.push(l), error: (l) => void lines.push(l) },
    );
    expect(lines).toEqual([
      '✓ file:/c/a.yaml  created 2, updated 0, unchanged 0, orphaned 1',
      '    note: skipped: not an entity',
      '✗ file:/c/b.yaml  created 0, updated 0, unchanged 0, orphaned 0',
      '    problem in x: spec.owner is required',
      '2 location(s) in 1.5 s: created 2, updated 0, unchanged 0, orphaned 1, problems 1, notes 1',
    ]);
  });
});
