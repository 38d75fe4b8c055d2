/**
 * Between the domain's catalog entities and their documents: only JSON-safe values (no undefined,
 * which the driver would store as null), descriptor fields apart from facts recorded from outside.
 */
import { effectiveOnCall } from '../../domain/catalog/entity-facts';
import type { CatalogEntity, CatalogEntityInput } from '../../domain/catalog/catalog.types';
import type { CatalogEntityDoc } from './catalog-models';

/** Descriptor fields that may be absent: an update unsets the ones a new version no longer has. */
const OPTIONAL_FIELDS = ['title', 'description', 'type', 'lifecycle', 'tier', 'owner', 'system', 'domain', 'onCall', 'profile'] as const;

/** Every field an import writes (and nothing recorded from outside: deployments, recordedOnCall). */
export function descriptorFields(input: CatalogEntityInput): CatalogEntityInput {
  return withoutUndefined(input);
}

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

/** A deep copy without undefined values; Dates and other non-plain objects are kept as they are. */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => withoutUndefined(v)) as T;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out as T;
}
