/**
 * What the welcome card tells a joiner beyond the dev environment: curated docs (the team's own
 * links, its Components' and Resources' docs and runbooks, the org-wide guides; one per URL,
 * capped to what a card shows) and the checklist (the configured first-week items, then the
 * team's: clone each repository, join the on-call rotation). Checklist ids are derived from the
 * item's text, so the same content always gives the same ids.
 */
import { createHash } from 'node:crypto';
import type { CatalogEntity } from '../catalog/catalog.types';
import type { CloneRepository } from './dev-environment';
import type { Guide } from './onboarding-settings';
import type { ChecklistItem } from './onboarding.types';

export const MAX_DOCS = 12;
export const MAX_CLONE_ITEMS = 5;
export const MAX_CHECKLIST = 20;

export type DocSource = 'team' | 'service' | 'guide';

export interface WelcomeDoc {
  title: string;
  url: string;
  source: DocSource;
  /** The entity's name for a service's doc ("payments-api"). */
  of?: string;
}

export interface WelcomeContent {
  docs: WelcomeDoc[];
  /** Docs found beyond MAX_DOCS. */
  docsOmitted: number;
  /** The team's on-call rotation, when it has one. */
  onCallRotation?: string;
  checklist: ChecklistItem[];
}

export interface WelcomeContentInput {
  team: CatalogEntity;
  owned: CatalogEntity[];
  repositories: CloneRepository[];
  guides: Guide[];
  checklist: string[];
}

const SERVICE_DOC_TYPES = new Set(['docs', 'runbook']);
const SERVICE_KINDS = new Set(['Component', 'Resource']);

export function welcomeContent(input: WelcomeContentInput): WelcomeContent {
  const found: WelcomeDoc[] = [
    ...input.team.links.map((l) => ({ title: l.title, url: l.url, source: 'team' as const })),
    ...input.owned
      .filter((e) => e.status === 'active' && SERVICE_KINDS.has(e.kind))
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) => e.links.filter((l) => SERVICE_DOC_TYPES.has(l.type)).map((l) => ({ title: l.title, url: l.url, source: 'service' as const, of: e.name }))),
    ...input.guides.map((g) => ({ title: g.title, url: g.url, source: 'guide' as const })),
  ];
  const seen = new Set<string>();
  const docs = found.filter((d) => {
    const key = urlKey(d.url);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const onCallRotation = input.team.onCall?.rotation?.trim() || undefined;
  return {
    docs: docs.slice(0, MAX_DOCS),
    docsOmitted: Math.max(0, docs.length - MAX_DOCS),
    ...(onCallRotation ? { onCallRotation } : {}),
    checklist: checklistFor(input.checklist, input.repositories, onCallRotation),
  };
}

function checklistFor(configured: string[], repositories: CloneRepository[], rotation: string | undefined): ChecklistItem[] {
  const clones = repositories.slice(0, MAX_CLONE_ITEMS).map((r) => `Clone ${r.name}`);
  const rest = repositories.length - clones.length;
  const texts = [
    ...configured,
    ...clones,
    ...(rest > 0 ? [`Clone the other ${rest} repositories of the team`] : []),
    ...(rotation ? [`Join the on-call rotation ${rotation}`] : []),
  ];
  const byId = new Map<string, ChecklistItem>();
  for (const text of texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean)) byId.set(checklistId(text), { id: checklistId(text), text });
  return [...byId.values()].slice(0, MAX_CHECKLIST);
}

/** A stable id for an item's text: short, and safe as a key in any store. */
export const checklistId = (text: string): string => `c${createHash('sha256').update(text.toLowerCase()).digest('hex').slice(0, 12)}`;

/** One key per document: scheme and host in lower case, no trailing slash or fragment. */
function urlKey(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.href.replace(/\/+$/, '').toLowerCase();
  } catch {
    return url.trim().toLowerCase();
  }
}
