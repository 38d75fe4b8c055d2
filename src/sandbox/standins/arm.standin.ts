/**
 * Stand-in for Azure Resource Manager's role assignments (Microsoft.Authorization, api-version
 * 2022-04-01), at any scope under one subscription (Key Vault vaults and secrets in practice):
 *   PUT    {scope}/providers/Microsoft.Authorization/roleAssignments/{name}   create (201)
 *   GET    {scope}/providers/Microsoft.Authorization/roleAssignments/{name}   read one
 *   DELETE {scope}/providers/Microsoft.Authorization/roleAssignments/{name}   delete (200, or 204 when absent)
 *   GET    {scope}/providers/Microsoft.Authorization/roleAssignments          list ($filter=atScope(): at or above the scope;
 *                                                                            `and principalId eq '{id}'`; paged by nextLink)
 * What ARM answers, as far as the bot can tell: a repeat PUT of the same assignment under the same
 * name is 201 again; the same (scope, role, principal) under another name is 409 RoleAssignmentExists;
 * changing an existing name's content is 400 RoleAssignmentUpdateNotPermitted; a principal the
 * directory does not know (yet: replication) is 400 PrincipalNotFound; an unknown role definition
 * is 400 RoleDefinitionDoesNotExist; a caller without roleAssignments/write (not in the assigners'
 * allow-list) or another subscription is 403 AuthorizationFailed. Tokens are verified with the
 * Entra stand-in (audience https://management.azure.com). Errors: `{ error: { code, message } }`.
 */
import { randomUUID } from 'node:crypto';
import { json, StandInServer, type StandInHandler, type StandInRequest, type StandInResponse } from './standin-server';
import type { AccessTokenClaims, EntraIdStandIn } from './entra-id.standin';
import { StateFile } from './state-file';

export const ARM_RESOURCE = 'https://management.azure.com';
const ARM_AUDIENCES = [ARM_RESOURCE, 'https://management.core.windows.net'];
const API_VERSIONS = new Set(['2022-04-01', '2020-10-01-preview', '2020-04-01-preview', '2015-07-01']);
const PROVIDER = '/providers/Microsoft.Authorization/roleAssignments';
const SAVED_FORMAT = 'idp-sandbox-arm/1';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Built-in roles the stand-in knows (Azure's fixed GUIDs). */
export const BUILT_IN_ROLES: Record<string, string> = {
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  'b86a8fe4-44ce-4948-aee5-eccb2c155cd7': 'Key Vault Secrets Officer',
  '21090545-7ca7-4776-b22c-e363652d74d2': 'Key Vault Reader',
  '00482a5a-887f-4fb3-b363-3b7fe8e74483': 'Key Vault Administrator',
  '8b54135c-b56d-4d72-a534-26097cfdc8d8': 'Key Vault Data Access Administrator',
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': 'Reader',
};

export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal';

export interface ArmStandInOptions {
  entra: EntraIdStandIn;
  tls: { key: string; cert: string };
  subscriptionId: string;
  /** The directory: which object ids exist and as what (the Graph stand-in answers this in the sandbox). */
  principalTypeOf: (principalId: string) => PrincipalType | undefined;
  /** Apps allowed roleAssignments/write and /delete (e.g. "Key Vault Data Access Administrator"); undefined = every app of the tenant. */
  assignerClientIds?: string[];
  /** Assignments per page of a list (ARM pages by nextLink). */
  pageSize?: number;
}

export interface StoredAssignment {
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: PrincipalType;
  createdOn: string;
  updatedOn: string;
  createdBy: string;
}

interface PutBody {
  properties?: { roleDefinitionId?: unknown; principalId?: unknown; principalType?: unknown; description?: unknown };
}

export class ArmStandIn extends StandInServer {
  readonly subscriptionId: string;
  /** By name (lower case): ARM assignment names are unique in the tenant. */
  private readonly assignments = new Map<string, StoredAssignment>();
  private readonly entra: EntraIdStandIn;
  private readonly principalTypeOf: ArmStandInOptions['principalTypeOf'];
  private readonly pageSize: number;
  private assigners?: Set<string>;
  /** Principal id (lower case) -> PUTs still answered PrincipalNotFound while it "replicates". */
  private readonly replicating = new Map<string, number>();

  constructor(options: ArmStandInOptions) {
    super('arm', options.tls, () => this.state());
    this.entra = options.entra;
    this.subscriptionId = options.subscriptionId.toLowerCase();
    this.principalTypeOf = options.principalTypeOf;
    this.pageSize = Math.max(1, options.pageSize ?? 100);
    this.setAssignerClientIds(options.assignerClientIds);

    this.route('PUT', `/*${PROVIDER}/:name`, this.authed('write', (req, claims) => this.put(req, claims)));
    this.route('GET', `/*${PROVIDER}/:name`, this.authed('read', (req) => this.getOne(req)));
    this.route('DELETE', `/*${PROVIDER}/:name`, this.authed('delete', (req) => this.remove(req)));
    this.route('GET', `/*${PROVIDER}`, this.authed('read', (req) => this.list(req)));
  }

  /** Which apps may write and delete role assignments; undefined = every app of the tenant. */
  setAssignerClientIds(clientIds: string[] | undefined): void {
    this.assigners = clientIds ? new Set(clientIds) : undefined;
  }

  /** The next `requests` PUTs naming this principal answer 400 PrincipalNotFound, as while a new identity replicates. */
  replicationDelay(principalId: string, requests: number): void {
    this.replicating.set(principalId.toLowerCase(), requests);
  }

  /** An assignment made by someone else (the portal, a pipeline), under any name; ids are kept lower-case as ARM answers them. */
  addAssignment(a: { name: string; scope: string; roleDefinitionId: string; principalId: string; principalType: PrincipalType }): void {
    const now = new Date().toISOString();
    const stored: StoredAssignment = { ...a, name: a.name.toLowerCase(), roleDefinitionId: a.roleDefinitionId.toLowerCase(), principalId: a.principalId.toLowerCase(), createdOn: now, updatedOn: now, createdBy: 'seed' };
    this.assignments.set(stored.name, stored);
    this.saveState();
  }

  /** Every assignment held (tests and people check what the bot did). */
  held(): StoredAssignment[] {
    return [...this.assignments.values()].map((a) => ({ ...a }));
  }

  /** Forgets every assignment and pending replication delay. */
  reset(): void {
    this.assignments.clear();
    this.replicating.clear();
    this.saveState();
  }

  /** Keeps the assignments in `file` across restarts; true when restored. */
  keepStateIn(file: string): boolean {
    return this.persistIn(
      new StateFile(file),
      () => ({ format: SAVED_FORMAT, assignments: [...this.assignments.values()] }),
      (saved) => {
        const { format, assignments } = saved as { format: string; assignments: StoredAssignment[] };
        if (format !== SAVED_FORMAT) throw new Error(`Not an ARM stand-in state file (${format})`);
        this.assignments.clear();
        for (const a of assignments) this.assignments.set(a.name.toLowerCase(), a);
      },
    );
  }

  protected override faultBody(status: number): unknown {
    const code = status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : status >= 500 ? 'InternalServerError' : 'InjectedFault';
    return { error: { code, message: `Injected fault ${status}` } };
  }

  private state() {
    return { subscriptionId: this.subscriptionId, roleAssignments: [...this.assignments.values()].map((a) => this.resource(a)) };
  }

  // ---- auth -------------------------------------------------------------------------------

  private authed(action: 'read' | 'write' | 'delete', handler: (req: StandInRequest, claims: AccessTokenClaims) => StandInResponse): StandInHandler {
    return (req) => {
      const header = req.headers.authorization;
      if (!header) {
        return { ...armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."), headers: challenge("The authentication failed because of missing 'Authorization' header.") };
      }
      const check = this.entra.verify(header, ARM_AUDIENCES);
      if (!check.ok) return { ...armError(401, 'InvalidAuthenticationToken', `The access token is invalid (${check.reason}).`), headers: challenge('The access token is invalid.') };
      const apiVersion = req.query.get('api-version');
      if (!apiVersion) return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
      if (!API_VERSIONS.has(apiVersion)) {
        return armError(400, 'InvalidApiVersionParameter', `The api-version '${apiVersion}' is invalid. The supported versions are '${[...API_VERSIONS].join(',')}'.`);
      }
      const scope = `/${req.params.rest ?? ''}`.replace(/\/+$/, '');
      const inSubscription = scope.toLowerCase().startsWith(`/subscriptions/${this.subscriptionId}`);
      const mayAct = action === 'read' || !this.assigners || this.assigners.has(check.claims.appid);
      if (!inSubscription || !mayAct) {
        const target = req.params.name ? `${scope}${PROVIDER}/${req.params.name}` : scope;
        return armError(
          403,
          'AuthorizationFailed',
          `The client '${check.claims.oid}' with object id '${check.claims.oid}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/${action}' over scope '${target}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
      }
      req.params.scope = scope;
      return handler(req, check.claims);
    };
  }

  // ---- operations -------------------------------------------------------------------------

  private put(req: StandInRequest, claims: AccessTokenClaims): StandInResponse {
    const { scope, name } = req.params;
    if (!GUID.test(name)) return armError(400, 'InvalidRoleAssignmentId', `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
    const props = (req.body && typeof req.body === 'object' ? (req.body as PutBody).properties : undefined) ?? {};
    const roleId = typeof props.roleDefinitionId === 'string' ? this.roleGuidOf(props.roleDefinitionId) : undefined;
    if (!roleId) return armError(400, 'InvalidRoleDefinitionId', `The role definition ID '${String(props.roleDefinitionId ?? '')}' is not valid.`);
    if (!BUILT_IN_ROLES[roleId]) return armError(400, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${roleId.replace(/-/g, '')}' does not exist.`);
    const principalId = typeof props.principalId === 'string' ? props.principalId.toLowerCase() : '';
    if (!GUID.test(principalId)) return armError(400, 'InvalidPrincipalId', 'A valid principal ID must be provided for role assignment.');

    const existing = this.assignments.get(name.toLowerCase());
    if (existing) {
      const same = existing.scope.toLowerCase() === scope.toLowerCase() && existing.roleDefinitionId === roleId && existing.principalId === principalId;
      if (!same) return armError(400, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
      return json(201, this.resource(existing), requestIds());
    }

    const pending = this.replicating.get(principalId);
    if (pending) {
      if (pending <= 1) this.replicating.delete(principalId);
      else this.replicating.set(principalId, pending - 1);
      return principalNotFound(principalId, this.entra.tenantId);
    }
    const actualType = this.principalTypeOf(principalId);
    if (!actualType) return principalNotFound(principalId, this.entra.tenantId);
    const declared = props.principalType;
    if (declared !== undefined && declared !== actualType) {
      return armError(400, 'UnmatchedPrincipalType', `The PrincipalId '${principalId.replace(/-/g, '')}' has type '${actualType}' , which is different from specified PrincipalType '${String(declared)}'.`);
    }
    const duplicate = [...this.assignments.values()].find((a) => a.scope.toLowerCase() === scope.toLowerCase() && a.roleDefinitionId === roleId && a.principalId === principalId);
    if (duplicate) return armError(409, 'RoleAssignmentExists', 'The role assignment already exists.');

    const now = new Date().toISOString();
    const created: StoredAssignment = { name: name.toLowerCase(), scope, roleDefinitionId: roleId, principalId, principalType: actualType, createdOn: now, updatedOn: now, createdBy: claims.oid };
    this.assignments.set(created.name, created);
    return json(201, this.resource(created), requestIds());
  }

  private getOne(req: StandInRequest): StandInResponse {
    const found = this.at(req);
    return found ? json(200, this.resource(found), requestIds()) : armError(404, 'RoleAssignmentNotFound', `The role assignment '${req.params.name}' is not found.`);
  }

  private remove(req: StandInRequest): StandInResponse {
    const found = this.at(req);
    if (!found) return json(204, undefined, requestIds());
    this.assignments.delete(found.name);
    return json(200, this.resource(found), requestIds());
  }

  private list(req: StandInRequest): StandInResponse {
    const filter = parseListFilter(req.query.get('$filter'));
    if (!filter) return armError(400, 'InvalidFilterInQueryString', `The filter '${req.query.get('$filter') ?? ''}' is not supported. Supported filters: atScope(), principalId eq '{id}', and both joined by 'and'.`);
    const scope = req.params.scope.toLowerCase();
    const matches = [...this.assignments.values()]
      .filter((a) => {
        const at = a.scope.toLowerCase();
        const aboveOrAt = scope === at || scope.startsWith(`${at}/`);
        const below = at.startsWith(`${scope}/`);
        return (aboveOrAt || (!filter.atScope && below)) && (!filter.principalId || a.principalId === filter.principalId);
      })
      .sort((a, b) => a.createdOn.localeCompare(b.createdOn) || a.name.localeCompare(b.name));
    const offset = Number(Buffer.from(req.query.get('$skipToken') ?? '', 'base64url').toString('utf8')) || 0;
    const value = matches.slice(offset, offset + this.pageSize).map((a) => this.resource(a));
    const body: Record<string, unknown> = { value };
    if (offset + this.pageSize < matches.length) {
      const next = new URLSearchParams(req.query);
      next.set('$skipToken', Buffer.from(String(offset + this.pageSize)).toString('base64url'));
      body.nextLink = `${this.baseUrl}${req.params.scope}${PROVIDER}?${next.toString()}`;
    }
    return json(200, body, requestIds());
  }

  // ---- helpers ----------------------------------------------------------------------------

  private at(req: StandInRequest): StoredAssignment | undefined {
    const found = this.assignments.get(req.params.name.toLowerCase());
    return found && found.scope.toLowerCase() === req.params.scope.toLowerCase() ? found : undefined;
  }

  /** `/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}` (or without the subscription) -> guid. */
  private roleGuidOf(id: string): string | undefined {
    const m = /^(?:\/subscriptions\/([^/]+))?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i.exec(id);
    if (!m || (m[1] && m[1].toLowerCase() !== this.subscriptionId) || !GUID.test(m[2]!)) return undefined;
    return m[2]!.toLowerCase();
  }

  /** The wire shape of a role assignment (RoleAssignment, api-version 2022-04-01). */
  private resource(a: StoredAssignment) {
    return {
      properties: {
        roleDefinitionId: `/subscriptions/${this.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${a.roleDefinitionId}`,
        principalId: a.principalId,
        principalType: a.principalType,
        scope: a.scope,
        condition: null,
        conditionVersion: null,
        createdOn: a.createdOn,
        updatedOn: a.updatedOn,
        createdBy: a.createdBy,
        updatedBy: a.createdBy,
        delegatedManagedIdentityResourceId: null,
        description: null,
      },
      id: `${a.scope}${PROVIDER}/${a.name}`,
      type: 'Microsoft.Authorization/roleAssignments',
      name: a.name,
    };
  }
}

/** `atScope()`, `principalId eq '{id}'`, or both joined by `and`; undefined when it is anything else. */
function parseListFilter(filter: string | null): { atScope: boolean; principalId?: string } | undefined {
  if (filter === null || filter.trim() === '') return { atScope: false };
  const result: { atScope: boolean; principalId?: string } = { atScope: false };
  for (const term of filter.split(/\s+and\s+/i).map((t) => t.trim())) {
    const principal = /^principalId\s+eq\s+'([0-9a-f-]{36})'$/i.exec(term);
    if (/^atScope\(\)$/i.test(term)) result.atScope = true;
    else if (principal) result.principalId = principal[1]!.toLowerCase();
    else return undefined;
  }
  return result;
}

function requestIds(): Record<string, string> {
  const id = randomUUID();
  return { 'x-ms-request-id': id, 'x-ms-correlation-request-id': id };
}

function challenge(description: string): Record<string, string> {
  return { 'www-authenticate': `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${description}"` };
}

/** ARM's error body: `{ error: { code, message } }`. */
function armError(status: number, code: string, message: string): StandInResponse {
  return json(status, { error: { code, message } }, requestIds());
}

function principalNotFound(principalId: string, tenantId: string): StandInResponse {
  return armError(
    400,
    'PrincipalNotFound',
    `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
  );
}
