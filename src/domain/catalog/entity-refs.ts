/**
 * Entity refs as the catalog stores them: `kind:namespace/name`, lower case, with Backstage's
 * rules for shorthand (`payments-api`, `group:team-payments`, `default/payments-api`).
 */
import { parseEntityRef } from '@backstage/catalog-model';
import { ENTITY_KINDS, type EntityKind } from './catalog.types';

const KIND_BY_LOWER = new Map<string, EntityKind>(ENTITY_KINDS.map((k) => [k.toLowerCase(), k]));

/** A known kind's spelling (`api` -> `API`), else the kind as written (`Template`, a plugin's kind). */
export const canonicalKind = (kind: string): EntityKind => KIND_BY_LOWER.get(kind.toLowerCase()) ?? kind;

export const entityRef = (kind: string, namespace: string, name: string): string => `${kind}:${namespace}/${name}`.toLowerCase();

/**
 * Normalises a (possibly shorthand) ref; throws a TypeError saying why when it is not one.
 * `defaultKind` applies when the ref has none, `defaultNamespace` when it has no namespace.
 */
export function normalizeRef(ref: unknown, defaultKind: string, defaultNamespace = 'default'): string {
  if (typeof ref !== 'string' || !ref.trim()) throw new TypeError(`expected an entity ref, got ${JSON.stringify(ref)}`);
  const parsed = parseEntityRef(ref.trim(), { defaultKind, defaultNamespace });
  return entityRef(parsed.kind, parsed.namespace, parsed.name);
}

/** `component:default/payments-api` -> its parts; undefined when it is not a full ref. */
export function splitRef(ref: string): { kind: string; namespace: string; name: string } | undefined {
  const m = /^([^:/]+):([^:/]+)\/([^:/]+)$/.exec(ref);
  return m ? { kind: m[1]!, namespace: m[2]!, name: m[3]! } : undefined;
}
