/**
 * The User Entitlements REST API (7.1) as the `vsaex` host serves it, relative to its
 * organisation URL (https://vsaex.dev.azure.com/{org}):
 *   GET    /_apis/userentitlements?$filter=name eq '...'   search: { members, items, continuationToken, totalCount }
 *   GET    /_apis/userentitlements/{userId}
 *   POST   /_apis/userentitlements                          add (or, for someone already in, update) a user
 *   PATCH  /_apis/userentitlements/{userId}                 JSON Patch: /projectEntitlements add/remove, /accessLevel replace
 *   DELETE /_apis/userentitlements/{userId}                 remove from the organisation (every membership goes)
 * As on the service: POST and PATCH answer 200 with `isSuccess: false` and keyed errors when the
 * organisation refuses; a principal outside its directory, or disabled there, is refused; the
 * `name` filter matches any part of the display name or principal name; a PATCH must be sent as
 * application/json-patch+json.
 */
import { randomUUID } from 'node:crypto';
import { json, type StandInRequest } from '../standin-server';
import { AdoError, badRequest } from './errors';
import { addMembership, entitlementNotFound, LICENCES, PROJECT_GROUPS, type EntitlementRecord } from './entitlement-state';
import { queryParam, type AdoRouter } from './router';
import type { AdoState } from './state';

/** Members per search page, as the service pages them. */
export const SEARCH_PAGE_SIZE = 100;

type OperationError = { key: number; value: string };

const refused = (value: string, key = 5000): OperationError => ({ key, value });

export function registerEntitlementRoutes(router: AdoRouter, state: AdoState, baseUrl: () => string): void {
  const shape = (r: EntitlementRecord) => entitlementShape(state, r, `${baseUrl()}/${state.org}`);
  const find = (userId: string): EntitlementRecord => {
    const record = state.entitlements.find((e) => e.id === userId.toLowerCase());
    if (!record) throw entitlementNotFound(userId);
    return record;
  };

  router
    .add('GET', '/_apis/userentitlements', (req) => {
      requireApiVersion(req);
      const matches = state.entitlements.filter(filterOf(queryParam(req, '$filter')));
      const offset = offsetOf(queryParam(req, 'continuationToken'));
      const page = matches.slice(offset, offset + SEARCH_PAGE_SIZE).map(shape);
      const next = offset + SEARCH_PAGE_SIZE < matches.length ? Buffer.from(String(offset + SEARCH_PAGE_SIZE)).toString('base64') : null;
      // The service fills both lists with the same members; its team advises reading `members`.
      return json(200, { members: page, items: page, continuationToken: next, totalCount: matches.length });
    })
    .add('GET', '/_apis/userentitlements/:userId', (req) => {
      requireApiVersion(req);
      return json(200, shape(find(req.params.userId)));
    })
    .add('DELETE', '/_apis/userentitlements/:userId', (req) => {
      requireApiVersion(req);
      const record = find(req.params.userId);
      state.entitlements.splice(state.entitlements.indexOf(record), 1);
      return json(204);
    })
    .add('POST', '/_apis/userentitlements', (req) => {
      requireApiVersion(req);
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as PostBody;
      const outcome = addUser(state, body);
      if ('errors' in outcome) return json(200, { isSuccess: false, operationResult: { isSuccess: false, errors: outcome.errors, userId: '00000000-0000-0000-0000-000000000000', result: null }, userEntitlement: null });
      const entitlement = shape(outcome.record);
      return json(200, { isSuccess: true, operationResult: { isSuccess: true, errors: [], userId: outcome.record.id, result: entitlement }, userEntitlement: entitlement });
    })
    .add('PATCH', '/_apis/userentitlements/:userId', (req) => {
      requireApiVersion(req);
      if (!/^application\/json-patch\+json/i.test(String(req.headers['content-type'] ?? ''))) {
        throw new AdoError(415, 'VssRequestContentTypeNotSupportedException', `The request content type '${String(req.headers['content-type'] ?? '')}' is not supported; this resource accepts application/json-patch+json.`);
      }
      const record = find(req.params.userId);
      if (!Array.isArray(req.body)) throw badRequest('The request body must be a JSON Patch document (an array of operations).');
      // Every operation applies to a copy; one refused operation changes nothing.
      const draft: EntitlementRecord = { ...record, groups: record.groups.map((g) => ({ ...g })) };
      const errors = (req.body as PatchOperation[]).flatMap((op) => applyPatch(state, draft, op));
      if (!errors.length) Object.assign(record, draft);
      const entitlement = shape(record);
      return json(200, {
        isSuccess: errors.length === 0,
        operationResults: [{ isSuccess: errors.length === 0, errors, userId: record.id, result: entitlement }],
        userEntitlement: entitlement,
      });
    });
}

interface ProjectEntitlementBody {
  group?: { groupType?: string };
  projectRef?: { id?: string };
}

interface PostBody {
  accessLevel?: { accountLicenseType?: string; licensingSource?: string };
  user?: { principalName?: string; subjectKind?: string };
  projectEntitlements?: ProjectEntitlementBody[];
}

interface PatchOperation {
  op?: string;
  path?: string;
  value?: unknown;
}

function requireApiVersion(req: StandInRequest): void {
  const version = queryParam(req, 'api-version');
  if (!version) throw new AdoError(400, 'VssVersionNotSpecifiedException', `No api-version was supplied for the ${req.method} request. Please specify an api-version (e.g. api-version=7.1-preview.3).`);
  if (!/^(5\.\d|6\.\d|7\.[0-2])(-preview(\.\d+)?)?$/.test(version)) throw new AdoError(400, 'VssInvalidApiVersionException', `The api-version '${version}' is not supported by this resource.`);
}

/** `name eq 'x'` (contains, any case), `licenseId eq 'Account-Express'`, `userType eq 'member'`, joined by `and`. */
function filterOf(filter: string | undefined): (r: EntitlementRecord) => boolean {
  if (!filter?.trim()) return () => true;
  const tests = filter.split(/\s+and\s+/i).map((clause) => {
    const m = /^\(?\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*\)?$/i.exec(clause.trim());
    if (!m) throw badRequest(`The filter clause '${clause}' is not valid.`);
    const [, field, raw] = m;
    const value = raw!.replace(/''/g, "'").toLowerCase();
    switch (field!.toLowerCase()) {
      case 'name':
        return (r: EntitlementRecord) => r.principalName.toLowerCase().includes(value) || r.displayName.toLowerCase().includes(value);
      case 'licenseid':
        return (r: EntitlementRecord) => `account-${r.accountLicenseType}` === value;
      case 'usertype':
        return () => value === 'member';
      default:
        throw badRequest(`The filter field '${field}' is not supported; use licenseId, licenseStatus, userType or name.`);
    }
  });
  return (r) => tests.every((t) => t(r));
}

function offsetOf(token: string | undefined): number {
  if (!token) return 0;
  const offset = Number(Buffer.from(token, 'base64').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw badRequest('The continuation token is not valid.');
  return offset;
}

function addUser(state: AdoState, body: PostBody): { record: EntitlementRecord } | { errors: OperationError[] } {
  const principalName = body.user?.principalName?.trim();
  if (!principalName) return { errors: [refused('The Id, OriginId, or User.PrincipalName must be set. The Principal Name is usually an email address.')] };
  const licence = body.accessLevel?.accountLicenseType;
  if (!licence || !(licence in LICENCES)) return { errors: [refused('Invalid license type.')] };
  const principal = state.principals.find((p) => p.principalName.toLowerCase() === principalName.toLowerCase());
  if (!principal) return { errors: [refused(`Could not add user '${principalName}': the identity cannot be found in the organization's directory.`, 5102)] };
  if (!principal.enabled) return { errors: [refused(`Could not add user '${principalName}': the account is disabled in the organization's directory.`, 5102)] };
  const groups: { projectId: string; groupType: string }[] = [];
  for (const pe of body.projectEntitlements ?? []) {
    const error = membershipError(state, pe);
    if (error) return { errors: [error] };
    groups.push({ projectId: pe.projectRef!.id!.toLowerCase(), groupType: pe.group!.groupType! });
  }
  // Someone already in the organisation is updated, not refused: their access level becomes the one posted.
  let record = state.entitlements.find((e) => e.principalName.toLowerCase() === principalName.toLowerCase());
  if (record) record.accountLicenseType = licence;
  else {
    record = { id: randomUUID(), principalName: principal.principalName, displayName: principal.displayName, originId: principal.originId, accountLicenseType: licence, dateCreated: new Date().toISOString(), groups: [] };
    state.entitlements.push(record);
  }
  for (const g of groups) addMembership(record, g);
  return { record };
}

function membershipError(state: AdoState, value: unknown): OperationError | undefined {
  const pe = value as ProjectEntitlementBody | undefined;
  const groupType = pe?.group?.groupType;
  const projectId = pe?.projectRef?.id;
  if (!groupType || !(groupType in PROJECT_GROUPS)) return refused(`The group type '${String(groupType)}' is not a project group.`);
  if (!projectId || !state.projects.some((p) => p.id === projectId.toLowerCase())) return refused(`The project with id '${String(projectId)}' does not exist.`);
  return undefined;
}

function applyPatch(state: AdoState, draft: EntitlementRecord, op: PatchOperation): OperationError[] {
  const path = op.path ?? '';
  if (op.op === 'add' && /^\/projectEntitlements(\/-)?$/i.test(path)) {
    const error = membershipError(state, op.value);
    if (error) return [error];
    const pe = op.value as { group: { groupType: string }; projectRef: { id: string } };
    addMembership(draft, { projectId: pe.projectRef.id.toLowerCase(), groupType: pe.group.groupType });
    return [];
  }
  const remove = /^\/projectEntitlements\/([0-9a-f-]{36})$/i.exec(path);
  if (op.op === 'remove' && remove) {
    // Removes the user from the project: every built-in group of it.
    draft.groups = draft.groups.filter((g) => g.projectId !== remove[1]!.toLowerCase());
    return [];
  }
  if (op.op === 'replace' && /^\/accessLevel$/i.test(path)) {
    const licence = (op.value as { accountLicenseType?: string } | undefined)?.accountLicenseType;
    if (!licence || !(licence in LICENCES)) return [refused('Invalid license type.')];
    draft.accountLicenseType = licence;
    return [];
  }
  throw badRequest(`The patch operation '${String(op.op)} ${path}' is not supported on a user entitlement.`);
}

function entitlementShape(state: AdoState, r: EntitlementRecord, orgUrl: string): unknown {
  const descriptor = `aad.${Buffer.from(r.originId).toString('base64url')}`;
  return {
    id: r.id,
    user: {
      subjectKind: 'user',
      metaType: 'member',
      directoryAlias: r.principalName.split('@')[0],
      domain: state.org,
      principalName: r.principalName,
      mailAddress: r.principalName,
      origin: 'aad',
      originId: r.originId,
      displayName: r.displayName,
      url: `${orgUrl}/_apis/Graph/Users/${descriptor}`,
      descriptor,
    },
    accessLevel: {
      licensingSource: 'account',
      accountLicenseType: r.accountLicenseType,
      msdnLicenseType: 'none',
      gitHubLicenseType: 'none',
      licenseDisplayName: LICENCES[r.accountLicenseType] ?? r.accountLicenseType,
      status: 'active',
      statusMessage: '',
      assignmentSource: 'unknown',
    },
    lastAccessedDate: '0001-01-01T00:00:00Z',
    dateCreated: r.dateCreated,
    projectEntitlements: r.groups.map((g) => {
      const project = state.projects.find((p) => p.id === g.projectId);
      return {
        group: { groupType: g.groupType, displayName: PROJECT_GROUPS[g.groupType] ?? g.groupType },
        projectRef: { id: g.projectId, name: project?.name ?? null },
        projectPermissionInherited: 'notSet',
        assignmentSource: 'unknown',
        teamRefs: [],
      };
    }),
    extensions: [],
    groupAssignments: [],
  };
}
