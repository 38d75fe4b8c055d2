/**
 * One approval mechanism for every flow (onboarding, offboarding, production secrets...): what is
 * asked, who asked, who may decide and how they were found, and what became of it. A flow stores
 * what it needs after approval in `payload` and reads it back once the request is approved.
 * One decision by any one resolved approver closes the request ("the manager", or "any member of
 * the owning team except the requester").
 */

export const APPROVAL_STATES = ['pending', 'approved', 'rejected', 'cancelled', 'expired'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export const APPROVAL_DECISIONS = ['approve', 'reject'] as const;
export type ApprovalDecisionKind = (typeof APPROVAL_DECISIONS)[number];

/** A person by Entra object id (the Teams aadObjectId) and the name cards show. */
export interface ApprovalPerson {
  id: string;
  name: string;
}

/** What the card shows about the request: plain data, escaped when rendered. */
export interface ApprovalSummary {
  title: string;
  facts: { label: string; value: string }[];
}

/**
 * How a flow asks for approvers to be found; the service tries them in the order given and keeps
 * the first that yields anyone (e.g. the joiner's manager, else the team lead's id).
 * - manager: the directory manager of `of` (a joiner, or the requester);
 * - team-members: the members of a catalog Group (catalog Users and the Entra group behind it);
 * - users: these people (e.g. a team lead, a configured security group's members resolved by the flow).
 */
export type ApproverStrategy = { kind: 'manager'; of: string } | { kind: 'team-members'; team: string } | { kind: 'users'; ids: string[] };

/** The strategy that found the approvers, as recorded; the requester is always left out (`except`). */
export type ApproverSource = { kind: 'manager'; of: string } | { kind: 'team-members'; team: string; except: string } | { kind: 'users'; ids: string[]; except: string };

/** Who may decide, fixed when the request is made (a later directory change does not move it). */
export interface ResolvedApprovers {
  people: ApprovalPerson[];
  resolvedBy: ApproverSource;
}

export interface ApprovalDecision {
  by: ApprovalPerson;
  decision: ApprovalDecisionKind;
  comment?: string;
  at: Date;
}

export interface ApprovalRequest<P extends Record<string, unknown> = Record<string, unknown>> {
  /** Derived from (flow, idempotencyKey): a retried request lands on the same one. */
  id: string;
  flow: string;
  idempotencyKey: string;
  /** What is asked about (e.g. `onboard:<userId>:group:default/payments`): finds the one already pending. */
  subjectKey: string;
  summary: ApprovalSummary;
  requester: ApprovalPerson;
  approvers: ResolvedApprovers;
  state: ApprovalState;
  decisions: ApprovalDecision[];
  remindersSent: number;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  /** The next reminder; null when none is due any more (decided, or the next would come after expiry). */
  remindAt: Date | null;
  /** When it left `pending`. */
  endedAt?: Date;
  /** Approved: when its flow acted on it (e.g. enqueued the job); absent until then. */
  followedUpAt?: Date;
  /** Bumped by every change: a change names the version it read, so a stale one matches nothing. */
  version: number;
  /** What the flow needs after approval (plain data; never a secret value). */
  payload: P;
}

export type NewApprovalRequest = Omit<ApprovalRequest, 'id' | 'state' | 'decisions' | 'remindersSent' | 'updatedAt' | 'endedAt' | 'followedUpAt' | 'version'>;

/** One change of a pending request (applied only if it is still pending at the expected version). */
export interface ApprovalChange {
  now: Date;
  state?: Exclude<ApprovalState, 'pending'>;
  addDecision?: ApprovalDecision;
  remindersSent?: number;
  /** Ignored with `state`: a request that leaves pending has no reminder due (remindAt null). */
  remindAt?: Date | null;
}

export type ViewerRole = 'approver' | 'requester' | 'other';
export type ApprovalAction = ApprovalDecisionKind | 'cancel';

/** What one viewer sees of a request: their role and the buttons they may press. */
export interface ApprovalView {
  role: ViewerRole;
  actions: ApprovalAction[];
}

export const isApprover = (request: Pick<ApprovalRequest, 'approvers'>, userId: string): boolean => request.approvers.people.some((p) => sameId(p.id, userId));

/** Entra object ids are GUIDs: compare them without case. */
export const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
