/**
 * The welcome pack of an onboarding: the dev environment and the welcome content, computed from
 * the team's catalog entries and the settings each time they are shown (the catalog may have moved
 * on since approval); only the checklist is fixed in the record when it is created.
 */
import type { CatalogSearch } from '../catalog/catalog-search.port';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { DomainError } from '../domain-error';
import { devEnvironment, type DevEnvironment } from './dev-environment';
import { roleOf, type OnboardingSettings } from './onboarding-settings';
import type { OnboardingRecord } from './onboarding.types';
import { welcomeContent, type WelcomeContent } from './welcome-content';

export interface WelcomePack {
  environment: DevEnvironment;
  content: WelcomeContent;
}

export type WelcomePackFor = (record: Pick<OnboardingRecord, 'team' | 'role'>) => Promise<WelcomePack>;

export interface WelcomePackDeps {
  catalog: Pick<CatalogStore, 'get' | 'getMany'>;
  /** The catalog index: who owns what (the store keeps only each entity's own `owner`). */
  index: Pick<CatalogSearch, 'related'>;
  settings: OnboardingSettings;
  /** AZURE_DEVOPS_ORG_URL: repository URLs for entities whose descriptor gives none. */
  devopsBaseUrl?: string;
}

/** The team's Group and the active entities it owns. DomainError ONBOARDING.TEAM_NOT_IN_CATALOG when the Group is gone. */
export async function teamEntries(deps: Pick<WelcomePackDeps, 'catalog' | 'index'>, teamRef: string): Promise<{ team: CatalogEntity; owned: CatalogEntity[] }> {
  const { catalog } = deps;
  const team = await catalog.get(teamRef);
  if (!team || team.kind !== 'Group' || team.status !== 'active') throw new DomainError('ONBOARDING.TEAM_NOT_IN_CATALOG', `${teamRef} is not an active Group in the catalog`, { team: teamRef });
  const refs = [...new Set([...deps.index.related(team.ref, 'ownerOf'), ...team.relations.filter((r) => r.type === 'ownerOf').map((r) => r.target)])];
  const owned = refs.length ? await catalog.getMany(refs) : [];
  return { team, owned: owned.filter((e) => e.status === 'active') };
}

export function welcomePackFor(deps: WelcomePackDeps): WelcomePackFor {
  return async (record) => {
    const role = roleOf(deps.settings, record.role);
    const { team, owned } = await teamEntries(deps, record.team.ref);
    const environment = devEnvironment({ roleId: record.role, role, team, owned, ...(deps.devopsBaseUrl ? { devopsBaseUrl: deps.devopsBaseUrl } : {}) });
    const content = welcomeContent({ team, owned, repositories: environment.repositories, guides: deps.settings.guides, checklist: deps.settings.checklist });
    return { environment, content };
  };
}
