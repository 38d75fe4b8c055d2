/**
 * MongoDB shapes of the catalog: entities, what the store remembers per location, and the meta
 * documents (revision counter, import lease). Every `_id` is derived from a natural key, so the
 * primary key itself makes refs unique, also on the embedded test store, which never enforces a
 * unique secondary index but does refuse a duplicate `_id`.
 */
import { createHash } from 'node:crypto';
import { Schema, Types } from 'mongoose';
import type { CatalogEntityInput, Deployment, EntityStatus, ImportNote, ImportProblem, OnCall } from '../../domain/catalog/catalog.types';
import { defineModel } from './model-definition';

/** A stable ObjectId for a natural key (96 bits of sha256: collisions are not a practical concern). */
const idFor = (key: string): Types.ObjectId => new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12));

export const entityId = (ref: string): Types.ObjectId => idFor(`entity:${ref}`);
export const locationId = (location: string): Types.ObjectId => idFor(`location:${location}`);
export const metaId = (key: string): Types.ObjectId => idFor(`meta:${key}`);

export interface CatalogEntityDoc extends CatalogEntityInput {
  _id: Types.ObjectId;
  status: EntityStatus;
  deployments: Deployment[];
  revision: number;
  updatedAt: Date;
  /** On-call recorded from outside; kept apart so an import never overwrites it. */
  recordedOnCall?: OnCall;
}

export interface CatalogLocationDoc {
  _id: Types.ObjectId;
  location: string;
  fingerprint?: string;
  problems: ImportProblem[];
  notes?: ImportNote[];
  follows: string[];
  entityCount: number;
  updatedAt: Date;
}

export interface CatalogMetaDoc {
  _id: Types.ObjectId;
  key: string;
  /** Revision counter. */
  value?: number;
  /** Lease. */
  holder?: string | null;
  until?: Date;
}

const { Mixed } = Schema.Types;

const entitySchema = new Schema<CatalogEntityDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    ref: { type: String, required: true },
    kind: { type: String, required: true },
    namespace: { type: String, required: true },
    name: { type: String, required: true },
    title: String,
    description: String,
    tags: [String],
    aliases: [String],
    type: String,
    lifecycle: String,
    tier: String,
    owner: String,
    system: String,
    domain: String,
    relations: Mixed,
    contacts: Mixed,
    onCall: Mixed,
    links: Mixed,
    source: Mixed,
    profile: Mixed,
    onboarding: Mixed,
    members: [String],
    definition: Mixed,
    location: { type: String, required: true },
    sourceHash: { type: String, required: true },
    status: { type: String, required: true, enum: ['active', 'orphaned'] },
    deployments: Mixed,
    revision: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    recordedOnCall: Mixed,
  },
  { collection: 'catalog_entities', versionKey: false, minimize: false },
);
// Unique on real MongoDB / Cosmos; the derived _id already guarantees it everywhere.
entitySchema.index({ ref: 1 }, { unique: true });
entitySchema.index({ location: 1 });
entitySchema.index({ revision: 1 });
entitySchema.index({ status: 1 });

const locationSchema = new Schema<CatalogLocationDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    location: { type: String, required: true },
    fingerprint: String,
    problems: Mixed,
    notes: Mixed,
    follows: [String],
    entityCount: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'catalog_locations', versionKey: false, minimize: false },
);
locationSchema.index({ location: 1 }, { unique: true });

const metaSchema = new Schema<CatalogMetaDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    value: Number,
    holder: String,
    until: Date,
  },
  { collection: 'catalog_meta', versionKey: false },
);
metaSchema.index({ key: 1 }, { unique: true });

export const catalogEntityModel = defineModel<CatalogEntityDoc>('CatalogEntity', entitySchema);
export const catalogLocationModel = defineModel<CatalogLocationDoc>('CatalogLocation', locationSchema);
export const catalogMetaModel = defineModel<CatalogMetaDoc>('CatalogMeta', metaSchema);
