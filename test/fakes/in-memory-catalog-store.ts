/**
 * CatalogStore in memory. The diff (location-plan.ts) and the facts rules (entity-facts.ts) are the
 * ones the Mongo adapter uses; the contract suite runs both, so the fake cannot drift.
 * Entities are copied in and out: callers never share objects with the store.
 */
import type { ApplyLocationResult, CatalogStore, LocationBatch, StoredLocation } from '../../src/domain/catalog/catalog-store.port';
import type { CatalogEntity, CatalogEntityInput, Deployment, EntityStatus, OnCall } from '../../src/domain/catalog/catalog.types';
import { effectiveOnCall, withDeployment } from '../../src/domain/catalog/entity-facts';
import { planLocations, resolveCollision } from '../../src/domain/catalog/location-plan';

interface Stored {
  entity: CatalogEntity;
  recordedOnCall?: OnCall;
}

export class InMemoryCatalogStore implements CatalogStore {
  private readonly entities = new Map<string, Stored>();
  private readonly locations = new Map<string, StoredLocation>();
  private revision = 0;
  /** Entity and location writes so far (tests check that an unchanged import writes nothing). */
  writes = 0;

  async applyLocation(location: string, entities: CatalogEntityInput[]): Promise<ApplyLocationResult> {
    const [result] = await this.applyLocations([{ location, entities }]);
    return result!;
  }

  async applyLocations(batches: LocationBatch[]): Promise<ApplyLocationResult[]> {
    const names = new Set(batches.map((b) => b.location));
    const stored = [...this.entities.values()].filter((s) => names.has(s.entity.location)).map(({ entity: e }) => ({ ...e }));
    const plans = planLocations(batches, stored);
    return plans.map((plan, i) => {
      const batch = batches[i]!;
      const result = { created: 0, updated: 0, unchanged: plan.unchanged, orphaned: 0, conflicts: [...plan.conflicts] };
      let unheld = plan.conflicts.length > 0;
      for (const input of plan.creates) {
        const existing = this.entities.get(input.ref)?.entity;
        if (!existing) {
          this.write(input.ref, { ...clone(input), status: 'active', deployments: [], revision: 0, updatedAt: new Date() });
          result.created++;
          continue;
        }
        const outcome = resolveCollision(input, batch.location, existing);
        if (outcome === 'update') {
          this.update(input, existing.location, names);
          result.updated++;
        } else {
          unheld ||= existing.location !== batch.location;
          if (outcome === 'unchanged') result.unchanged++;
          else result.conflicts.push({ ref: input.ref, heldBy: existing.location });
        }
      }
      for (const { input, previous } of plan.updates) {
        this.update(input, previous.location, names);
        result.updated++;
      }
      for (const orphan of plan.orphans) {
        const s = this.entities.get(orphan.ref)!;
        this.write(orphan.ref, { ...s.entity, status: 'orphaned' }, s.recordedOnCall);
        result.orphaned++;
      }
      this.saveLocation(batch, unheld);
      return result;
    });
  }

  async getLocations(locations: string[]): Promise<StoredLocation[]> {
    return [...new Set(locations)].flatMap((l) => (this.locations.has(l) ? [clone(this.locations.get(l)!)] : []));
  }

  async listLocations(prefix: string): Promise<string[]> {
    return [...this.locations.values()].filter((l) => l.location.startsWith(prefix) && l.entityCount > 0).map((l) => l.location).sort();
  }

  async get(ref: string): Promise<CatalogEntity | null> {
    const s = this.entities.get(ref);
    return s ? view(s) : null;
  }

  async getMany(refs: string[]): Promise<CatalogEntity[]> {
    return [...new Set(refs)].flatMap((r) => (this.entities.has(r) ? [view(this.entities.get(r)!)] : []));
  }

  async changedSince(revision: number, limit: number): Promise<CatalogEntity[]> {
    return [...this.entities.values()]
      .filter((s) => s.entity.revision > revision)
      .sort((a, b) => a.entity.revision - b.entity.revision)
      .slice(0, limit)
      .map(view);
  }

  async *streamAll(batchSize: number): AsyncGenerator<CatalogEntity[]> {
    const all = [...this.entities.values()]; // a snapshot, as one cursor would see
    for (let i = 0; i < all.length; i += batchSize) yield all.slice(i, i + batchSize).map(view);
  }

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  async recordDeployment(ref: string, deployment: Deployment): Promise<CatalogEntity | null> {
    const s = this.entities.get(ref);
    if (!s) return null;
    const next = withDeployment(s.entity.deployments, clone(deployment));
    if (next !== s.entity.deployments) this.write(ref, { ...s.entity, deployments: next }, s.recordedOnCall);
    return view(this.entities.get(ref)!);
  }

  async setOnCall(ref: string, onCall: OnCall): Promise<CatalogEntity | null> {
    const s = this.entities.get(ref);
    if (!s) return null;
    this.write(ref, s.entity, { ...clone(onCall), updatedAt: onCall.updatedAt ?? new Date() });
    return view(this.entities.get(ref)!);
  }

  async count(filter: { status?: EntityStatus } = {}): Promise<number> {
    return [...this.entities.values()].filter((s) => !filter.status || s.entity.status === filter.status).length;
  }

  private update(input: CatalogEntityInput, from: string, inCall: Set<string>): void {
    const s = this.entities.get(input.ref)!;
    // Descriptor fields replaced; deployments and the recorded on-call kept.
    this.write(input.ref, { ...clone(input), status: 'active', deployments: s.entity.deployments, revision: 0, updatedAt: new Date() }, s.recordedOnCall);
    // Taken from a location outside this call: that location must be read again next time.
    const other = this.locations.get(from);
    if (from !== input.location && !inCall.has(from) && other?.fingerprint) {
      const { fingerprint: _stale, ...rest } = other;
      this.locations.set(from, rest);
    }
  }

  private write(ref: string, entity: CatalogEntity, recordedOnCall?: OnCall): void {
    this.writes++;
    this.entities.set(ref, { entity: { ...entity, revision: ++this.revision, updatedAt: new Date() }, ...(recordedOnCall ? { recordedOnCall } : {}) });
  }

  private saveLocation(batch: LocationBatch, unheld: boolean): void {
    const desired: StoredLocation = {
      location: batch.location,
      problems: clone(batch.problems ?? []),
      notes: clone(batch.notes ?? []),
      follows: [...(batch.follows ?? [])],
      entityCount: batch.entities.length,
      ...(batch.fingerprint && !unheld ? { fingerprint: batch.fingerprint } : {}),
    };
    if (JSON.stringify(this.locations.get(batch.location)) === JSON.stringify(desired)) return;
    this.writes++;
    this.locations.set(batch.location, desired);
  }
}

function view(s: Stored): CatalogEntity {
  const { onCall, ...rest } = clone(s.entity);
  const effective = effectiveOnCall(onCall, s.recordedOnCall ? clone(s.recordedOnCall) : undefined);
  return { ...rest, ...(effective ? { onCall: effective } : {}) };
}

/**
 * A deep copy without undefined fields, as a document store keeps them (structuredClone would also
 * hand back Dates of another realm under jest).
 */
function clone<T>(v: T): T {
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, clone(x)])) as T;
  return v;
}
