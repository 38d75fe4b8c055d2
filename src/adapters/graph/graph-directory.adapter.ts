/**
 * Directory over Microsoft Graph v1.0 with app-only permissions (User.Read.All +
 * GroupMember.Read.All, or Directory.Read.All). Transitive membership comes from Graph
 * (`transitiveMemberOf`, `transitiveMembers`), cast to users or groups server-side; every list
 * follows @odata.nextLink to the end.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { DirectoryGroup, DirectoryUser } from '../../domain/access/access.types';
import type { Directory } from '../../domain/access/directory.port';
import { DomainError } from '../../domain/domain-error';
import { createGraphClient, type GraphClientHandle, type GraphClientOptions } from './graph-client';
import { statusOf, toDomainError } from './graph-errors';

const USER_FIELDS = 'id,userPrincipalName,displayName,mail,jobTitle,department,accountEnabled';
const GROUP_FIELDS = 'id,displayName,mail,resourceProvisioningOptions';
/** Graph's largest page for directory objects. */
const MAX_PAGE = 999;

interface GraphUserDto {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  mail?: string | null;
  jobTitle?: string | null;
  department?: string | null;
  accountEnabled?: boolean | null;
}

interface GraphGroupDto {
  id: string;
  displayName: string | null;
  mail?: string | null;
  resourceProvisioningOptions?: string[] | null;
}

interface GraphPage<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

export interface GraphDirectoryOptions extends GraphClientOptions {
  /** Page size asked of Graph (1..999); small values exercise paging in tests. */
  pageSize?: number;
}

export class GraphDirectory implements Directory {
  private readonly client: Client;
  private readonly pageSize: number;
  private readonly handle: GraphClientHandle;

  constructor(options: GraphDirectoryOptions) {
    this.handle = createGraphClient(options);
    this.client = this.handle.client;
    this.pageSize = options.pageSize ?? 999;
  }

  /** Releases the pooled https connections. */
  close(): void {
    this.handle.close();
  }

  async getUser(idOrUpn: string): Promise<DirectoryUser | null> {
    if (!idOrUpn.trim()) return null;
    const dto = await this.orNullOn404(() => this.client.api(`/users/${encodeURIComponent(idOrUpn)}`).select(USER_FIELDS).get(), 'look up a user');
    return dto ? toUser(dto as GraphUserDto) : null;
  }

  async getManager(userId: string): Promise<DirectoryUser | null> {
    if (!userId.trim()) return null;
    const dto = await this.orNullOn404(() => this.client.api(`/users/${encodeURIComponent(userId)}/manager`).select(USER_FIELDS).get(), "look up a user's manager");
    return dto ? toUser(dto as GraphUserDto) : null;
  }

  async groupsOf(userId: string): Promise<DirectoryGroup[]> {
    if (!userId.trim()) return [];
    const path = `/users/${encodeURIComponent(userId)}/transitiveMemberOf/microsoft.graph.group`;
    const groups = await this.orNullOn404(() => this.all<GraphGroupDto>(path, GROUP_FIELDS), "list a user's groups");
    return (groups ?? []).map(toGroup);
  }

  async membersOf(groupId: string): Promise<DirectoryUser[]> {
    if (!groupId.trim()) return [];
    const path = `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`;
    const users = await this.orNullOn404(() => this.all<GraphUserDto>(path, USER_FIELDS), 'list the members of a group');
    return (users ?? []).map(toUser);
  }

  async findGroupByName(displayName: string): Promise<DirectoryGroup | null> {
    if (!displayName.trim()) return null;
    // OData escapes a quote by doubling it; the client does not URL-encode query values itself.
    const filter = encodeURIComponent(`displayName eq '${displayName.replace(/'/g, "''")}'`);
    try {
      const page = (await this.client.api('/groups').filter(filter).select(GROUP_FIELDS).top(2).get()) as GraphPage<GraphGroupDto>;
      if (page.value.length > 1) {
        throw new DomainError('DIRECTORY.AMBIGUOUS_GROUP', `More than one directory group is called "${displayName}".`, { displayName });
      }
      return page.value[0] ? toGroup(page.value[0]) : null;
    } catch (e) {
      throw toDomainError(e, 'find a group');
    }
  }

  /**
   * `$search` (not `$filter=startswith`): Graph tokenizes displayName for search, so "dev" finds
   * "Alice Developer", where startswith matches only the first word; userPrincipalName and mail
   * are matched by prefix. It is an advanced query (header `ConsistencyLevel: eventual`, results
   * eventually consistent, fine for a type-ahead) that app-only tokens with User.Read.All may run,
   * and it allows `$orderby=displayName`. The term sits in a double-quoted clause: `\` and `"`
   * are backslash-escaped, so input cannot add clauses; the whole value is then URL-encoded.
   */
  async searchUsers(text: string, limit: number): Promise<DirectoryUser[]> {
    const term = text.trim();
    const top = Math.min(Math.floor(limit), MAX_PAGE);
    if (!term || !(top > 0)) return [];
    const quoted = term.replace(/[\\"]/g, (c) => `\\${c}`);
    const search = ['displayName', 'userPrincipalName', 'mail'].map((p) => `"${p}:${quoted}"`).join(' OR ');
    try {
      const page = (await this.client
        .api('/users')
        .header('ConsistencyLevel', 'eventual')
        .search(encodeURIComponent(search))
        .orderby('displayName')
        .select(USER_FIELDS)
        .top(top)
        .get()) as GraphPage<GraphUserDto>;
      return page.value.map(toUser);
    } catch (e) {
      throw toDomainError(e, 'search the directory for people');
    }
  }

  /** Follows @odata.nextLink until the last page. */
  private async all<T>(path: string, select: string): Promise<T[]> {
    const items: T[] = [];
    let page = (await this.client.api(path).select(select).top(this.pageSize).get()) as GraphPage<T>;
    items.push(...page.value);
    while (page['@odata.nextLink']) {
      page = (await this.client.api(page['@odata.nextLink']).get()) as GraphPage<T>;
      items.push(...page.value);
    }
    return items;
  }

  private async orNullOn404<T>(call: () => Promise<T>, action: string): Promise<T | null> {
    try {
      return await call();
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw toDomainError(e, action);
    }
  }
}

function toUser(dto: GraphUserDto): DirectoryUser {
  return {
    id: dto.id,
    userPrincipalName: dto.userPrincipalName,
    displayName: dto.displayName ?? dto.userPrincipalName,
    mail: dto.mail ?? null,
    jobTitle: dto.jobTitle ?? null,
    department: dto.department ?? null,
    accountEnabled: dto.accountEnabled ?? false,
  };
}

function toGroup(dto: GraphGroupDto): DirectoryGroup {
  return {
    id: dto.id,
    displayName: dto.displayName ?? dto.id,
    mail: dto.mail ?? null,
    isTeam: (dto.resourceProvisioningOptions ?? []).includes('Team'),
  };
}
