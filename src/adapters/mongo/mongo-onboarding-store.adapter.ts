/**
 * OnboardingStore on MongoDB (mongoose), one collection `onboardings`. `_id` derives from the
 * record id (the approval request's), the one uniqueness every MongoDB-compatible server enforces,
 * so a re-run create meets the first record (E11000). Grants and checklist items are stored as
 * sub-documents keyed by a hash of their key / id, not as arrays: grants are added with one
 * update that matches only at the grant count it read (two racing adds: one applies, the other
 * re-reads and finds the grant there), numbering them in the order recorded; a tick sets
 * `checklist.<key>.doneAt` directly; neither needs a positional `$` update (which the embedded
 * test server ignores silently) nor a transaction.
 */
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { OnboardingStore } from '../../domain/onboarding/onboarding-store.port';
import { grantKey, type ChecklistItem, type Grant, type NewOnboardingRecord, type OnboardingRecord, type WelcomeDelivery } from '../../domain/onboarding/onboarding.types';
import { isDuplicateKeyError } from './mongo-connection';
import { naturalId } from './natural-id';
import { defineModel } from './model-definition';

type StoredGrant = Grant & { key: string; seq: number };
type StoredItem = { id: string; text: string; seq: number; doneAt?: Date; doneBy?: string };
type OnboardingDoc = Omit<OnboardingRecord, 'id' | 'grants' | 'checklist'> & {
  _id: Types.ObjectId;
  recordId: string;
  grants: Record<string, StoredGrant>;
  /** How many grants are recorded: the version an add is conditional on, and the next grant's number. */
  grantCount: number;
  checklist: Record<string, StoredItem>;
};

const mixed = { type: Schema.Types.Mixed, required: true };
const onboardingSchema = new Schema<OnboardingDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    recordId: { type: String, required: true },
    joiner: mixed,
    team: mixed,
    role: { type: String, required: true },
    startDate: { type: String, required: true },
    buddy: Schema.Types.Mixed,
    manager: mixed,
    requester: mixed,
    approvedBy: mixed,
    state: { type: String, required: true },
    grants: mixed,
    grantCount: { type: Number, required: true },
    welcome: mixed,
    checklist: mixed,
    downloadToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    activeAt: Date,
    offboardedAt: Date,
  },
  // minimize: false keeps the empty `grants` / `checklist` sub-documents the updates write into.
  { collection: 'onboardings', versionKey: false, minimize: false },
);
onboardingSchema.index({ 'joiner.id': 1, state: 1, createdAt: -1 });
// The platform metrics read onboardings by creation date.
onboardingSchema.index({ createdAt: 1 });
export const onboardingModel = defineModel('Onboarding', onboardingSchema);

const idOf = (recordId: string) => naturalId(`onboarding:${recordId}`);
/** A field name for any key: hex only (no `.` or `$`). */
const field = (prefix: 'g' | 'c', key: string) => `${prefix}${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
/** Rounds of read-then-conditional-update before giving up (only concurrent adds to one record make a round fail). */
const ADD_ATTEMPTS = 20;

const withoutUndefined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function toRecord(doc: OnboardingDoc): OnboardingRecord {
  const { _id: _unusedId, recordId, grants, grantCount: _unusedCount, checklist, activeAt, offboardedAt, buddy, ...rest } = doc;
  return {
    ...rest,
    id: recordId,
    ...(buddy ? { buddy } : {}),
    grants: Object.values(grants)
      .sort((a, b) => a.seq - b.seq)
      .map(({ key: _k, seq: _s, ...g }) => g as Grant),
    checklist: Object.values(checklist)
      .sort((a, b) => a.seq - b.seq)
      .map((i): ChecklistItem => ({ id: i.id, text: i.text, ...(i.doneAt ? { doneAt: i.doneAt, doneBy: i.doneBy ?? '' } : {}) })),
    welcome: withoutUndefined(doc.welcome),
    ...(activeAt ? { activeAt } : {}),
    ...(offboardedAt ? { offboardedAt } : {}),
  };
}

export class MongoOnboardingStore implements OnboardingStore {
  private readonly model: Model<OnboardingDoc>;

  constructor(conn: Connection, private readonly clock: () => Date = () => new Date()) {
    this.model = onboardingModel.of(conn);
  }

  async create(record: NewOnboardingRecord): Promise<{ record: OnboardingRecord; created: boolean }> {
    const { id, checklist, ...rest } = structuredClone(record);
    const doc: OnboardingDoc = {
      ...withoutUndefined(rest),
      _id: idOf(id),
      recordId: id,
      state: 'provisioning',
      grants: {},
      grantCount: 0,
      welcome: { attempts: 0 },
      checklist: Object.fromEntries(checklist.map((item, seq) => [field('c', item.id), withoutUndefined({ id: item.id, text: item.text, seq, doneAt: item.doneAt, doneBy: item.doneBy })])),
      updatedAt: record.createdAt,
    };
    try {
      await new this.model(doc).save();
      return { record: toRecord(doc), created: true };
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      const existing = await this.get(id);
      if (!existing) throw e;
      return { record: existing, created: false };
    }
  }

  async get(id: string): Promise<OnboardingRecord | null> {
    const doc = await this.model.findById(idOf(id)).lean<OnboardingDoc>();
    return doc ? toRecord(doc) : null;
  }

  async activeFor(joinerId: string, teamRef?: string): Promise<OnboardingRecord[]> {
    const docs = await this.model
      .find({ 'joiner.id': joinerId, state: { $ne: 'offboarded' }, ...(teamRef ? { 'team.ref': teamRef } : {}) })
      .sort({ createdAt: -1 })
      .lean<OnboardingDoc[]>();
    return docs.map(toRecord);
  }

  async addGrants(id: string, grants: Grant[]): Promise<OnboardingRecord | null> {
    for (let attempt = 0; attempt < ADD_ATTEMPTS; attempt++) {
      const current = await this.model.findById(idOf(id)).lean<OnboardingDoc>();
      if (!current) return null;
      const fresh = new Map<string, StoredGrant>();
      for (const g of grants) {
        const key = grantKey(g);
        const f = field('g', key);
        if (!current.grants[f] && !fresh.has(f)) fresh.set(f, { ...structuredClone(g), key, seq: current.grantCount + fresh.size });
      }
      if (!fresh.size) return toRecord(current);
      const $set: Record<string, unknown> = Object.fromEntries([...fresh].map(([f, g]) => [`grants.${f}`, g]));
      $set.updatedAt = new Date(Math.max(...[...fresh.values()].map((g) => new Date(g.at).getTime())));
      // Conditional on the count read: a racing add makes this match nothing, and the next round re-reads.
      const doc = await this.model.findOneAndUpdate({ _id: current._id, grantCount: current.grantCount }, { $set, $inc: { grantCount: fresh.size } }, { returnDocument: 'after' }).lean<OnboardingDoc>();
      if (doc) return toRecord(doc);
    }
    // Never silently drop a grant: the caller (a job step) fails and is retried.
    throw new Error(`onboarding ${id}: grants kept changing during ${ADD_ATTEMPTS} attempts to add ${grants.length}`);
  }

  async markActive(id: string, now: Date): Promise<OnboardingRecord | null> {
    return this.change(id, { state: 'provisioning' }, { $set: { state: 'active', activeAt: now, updatedAt: now } });
  }

  async markOffboarded(id: string, now: Date): Promise<OnboardingRecord | null> {
    return this.change(id, { state: { $ne: 'offboarded' } }, { $set: { state: 'offboarded', offboardedAt: now, updatedAt: now } });
  }

  async setWelcome(id: string, welcome: WelcomeDelivery): Promise<OnboardingRecord | null> {
    const doc = await this.model.findOneAndUpdate({ _id: idOf(id) }, { $set: { welcome: withoutUndefined(structuredClone(welcome)), updatedAt: this.clock() } }, { returnDocument: 'after' }).lean<OnboardingDoc>();
    return doc ? toRecord(doc) : null;
  }

  async setChecklistItem(id: string, itemId: string, done: { at: Date; by: string } | null): Promise<OnboardingRecord | null> {
    const path = `checklist.${field('c', itemId)}`;
    const update = done ? { $set: { [`${path}.doneAt`]: done.at, [`${path}.doneBy`]: done.by, updatedAt: done.at } } : { $unset: { [`${path}.doneAt`]: 1, [`${path}.doneBy`]: 1 }, $set: { updatedAt: this.clock() } };
    const doc = await this.model.findOneAndUpdate({ _id: idOf(id), [path]: { $exists: true } }, update, { returnDocument: 'after' }).lean<OnboardingDoc>();
    return doc ? toRecord(doc) : null;
  }

  async welcomesWaitingFor(joinerId: string): Promise<OnboardingRecord[]> {
    const docs = await this.model
      .find({ 'joiner.id': joinerId, state: { $ne: 'offboarded' }, 'welcome.deliveredAt': null, 'welcome.waitingReason': { $exists: true, $ne: null } })
      .sort({ createdAt: -1 })
      .lean<OnboardingDoc[]>();
    return docs.map(toRecord);
  }

  async welcomesWaiting(limit: number): Promise<OnboardingRecord[]> {
    const docs = await this.model
      .find({ state: { $ne: 'offboarded' }, 'welcome.deliveredAt': null, 'welcome.waitingReason': { $exists: true, $ne: null } })
      .sort({ updatedAt: 1 })
      .limit(limit)
      .lean<OnboardingDoc[]>();
    return docs.map(toRecord);
  }

  /** One conditional update; when the condition does not hold, the record as it is (null when unknown). */
  private async change(id: string, when: Record<string, unknown>, update: Record<string, unknown>): Promise<OnboardingRecord | null> {
    const doc = await this.model.findOneAndUpdate({ _id: idOf(id), ...when }, update, { returnDocument: 'after' }).lean<OnboardingDoc>();
    return doc ? toRecord(doc) : this.get(id);
  }
}
