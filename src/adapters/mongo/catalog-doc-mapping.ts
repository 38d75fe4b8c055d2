/**
 * Between the domain's catalog entities and their documents: descriptor fields apart from facts
 * recorded from outside. Writes go through the driver with `ignoreUndefined`, so an absent optional
 * field is never stored as null (a deep copy without undefined cost ~9 us per entity at 100k).
 */
import { effectiveOnCall } from '../../domain/catalog/entity-facts';
import type { CatalogEntity, CatalogEntityInput } from '../../domain/catalog/catalog.types';
import type { CatalogEntityDoc } from './catalog-models';

/** Descriptor fields that may be absent: an update unsets the ones a new version no longer has. */
const OPTIONAL_FIELDS = ['title', 'description', 'type', 'lifecycle', 'tier', 'owner', 'system', 'domain', 'onCall', 'profile', 'onboarding', 'definition'] as const;

export function unsetAbsent(input: CatalogEntityInput): Record<string, ''> {
  const unset: Record<string, ''> = {};
  for (const key of OPTIONAL_FIELDS) if (input[key] === undefined) unset[key] = '';
  return unset;
}

export function toEntity(doc: CatalogEntityDoc): CatalogEntity {
  const { _id, recordedOnCall, onCall, ...rest } = doc;
  const effective = effectiveOnCall(onCall, recordedOnCall);
  return { ...rest, ...(effective ? { onCall: effective } : {}), deployments: doc.deployments ?? [] };
}

