/**
 * What joining a team means, from its catalog Group: its Teams team (the Entra group behind it),
 * the channels it lists (private and shared ones need their own membership; standard ones come with
 * the team), the directory groups it lists, and its Azure DevOps project groups (those it lists, or
 * Contributors of the projects its repositories live in). Names the catalog lists but the
 * workspace does not have become warnings for the preview, never a guess.
 */
import type { Directory } from '../access/directory.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { DomainError } from '../domain-error';
import type { AccessLevel, ProjectGroupRef } from './devops-access.port';
import type { AccessPlan } from './onboarding.types';
import type { WorkspaceMemberships, WorkspaceTarget } from './workspace-memberships.port';

export interface PlanDeps {
  memberships: Pick<WorkspaceMemberships, 'channelsOf'>;
  directory: Pick<Directory, 'findGroupByName'>;
}

export const teamLabel = (team: CatalogEntity): string => team.profile?.displayName ?? team.title ?? team.name;

export async function accessPlanFor(team: CatalogEntity, owned: CatalogEntity[], accessLevel: AccessLevel, deps: PlanDeps): Promise<{ plan: AccessPlan; warnings: string[] }> {
  const teamId = team.profile?.aadObjectId;
  if (!teamId) throw new DomainError('ONBOARDING.TEAM_NOT_CONNECTED', `${team.ref} names no Entra group (graph.microsoft.com/group-id)`, { team: team.name });
  const settings = team.onboarding ?? { channels: [], groups: [], devopsGroups: [] };
  const warnings: string[] = [];
  const workspace: WorkspaceTarget[] = [{ kind: 'team', teamId, name: teamLabel(team) }];
  const standardChannels: string[] = [];

  if (settings.channels.length) {
    const channels = await deps.memberships.channelsOf(teamId);
    for (const wanted of settings.channels) {
      const channel = channels.find((c) => c.displayName.toLowerCase() === wanted.toLowerCase());
      if (!channel) warnings.push(`The catalog lists the channel "${wanted}", which the team ${teamLabel(team)} does not have: skipped.`);
      else if (channel.membershipType === 'standard') standardChannels.push(channel.displayName);
      else workspace.push({ kind: 'channel', teamId, channelId: channel.id, name: `${teamLabel(team)} / ${channel.displayName}`, membershipType: channel.membershipType });
    }
  }
  for (const name of settings.groups) {
    const group = await deps.directory.findGroupByName(name);
    if (!group) warnings.push(`The catalog lists the directory group "${name}", which does not exist: skipped.`);
    else workspace.push({ kind: 'group', groupId: group.id, name: group.displayName });
  }
  return { plan: { workspace, standardChannels, devops: { accessLevel, groups: devopsGroupsOf(settings.devopsGroups, owned) } }, warnings };
}

/** The listed project groups; without any, Contributors of each project the team's repositories are in. */
function devopsGroupsOf(listed: ProjectGroupRef[], owned: CatalogEntity[]): ProjectGroupRef[] {
  if (listed.length) return listed;
  const projects = [...new Set(owned.flatMap((e) => (e.status === 'active' && e.source.repository ? [e.source.repository.project] : [])))].sort();
  return projects.map((project) => ({ project, group: 'projectContributor' as const }));
}
