/** The approval card per viewer and state, its buttons over the service, and the 1:1-chat notifier. */
import type { ConversationReference } from 'botbuilder';
import { APPROVAL_VERBS } from '../../cards/approval.card';
import { approvalsCardActions } from '../../dialogs/approvals/approvals.card-actions';
import { approvalCard } from '../../dialogs/approvals/approvals.views';
import { ApprovalChatNotifier, type ApprovalDelivery } from '../../dialogs/approvals/approvals.notifier';
import type { CardAction } from '../../src/bot/card-action-router';
import type { TurnActor } from '../../src/bot/identity';
import { DomainError } from '../../src/domain/domain-error';
import { InMemoryApprovalStore } from '../fakes/in-memory-approval-store';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log';
import { InMemoryConversationDirectory } from '../fakes/in-memory-conversation-directory';
import { approvalCardFor, approvalRequest, APPROVER, OTHER, REQUESTER } from '../fixtures/approval-card-fixtures';
import { approvalWorld, onboardingAsk, P, type ApprovalWorld } from '../helpers/approval-world';

/* eslint-disable @typescript-eslint/no-explicit-any */
const verbsOf = (card: any): string[] => (card.actions ?? []).map((a: any) => a.verb);
const texts = (card: any): string => JSON.stringify(card.body);
const inputs = (card: any) => card.body.filter((b: any) => b.type === 'Input.Text');

describe('approval card', () => {
  it('pending: approvers get Approve / Reject and a comment of at most 1000; the requester Cancel; anyone else nothing', () => {
    const r = approvalRequest('pending');
    const approver = approvalCardFor(r, APPROVER.id);
    expect(verbsOf(approver)).toEqual([APPROVAL_VERBS.approve, APPROVAL_VERBS.reject]);
    expect(inputs(approver)).toEqual([expect.objectContaining({ id: 'comment', maxLength: 1000 })]);
    expect(verbsOf(approvalCardFor(r, REQUESTER.id))).toEqual([APPROVAL_VERBS.cancel]);
    expect(inputs(approvalCardFor(r, REQUESTER.id))).toEqual([]);
    expect(verbsOf(approvalCardFor(r, OTHER.id))).toEqual([]);
  });

  it('shows requester, approvers and how they were found; text from the flow escaped', () => {
    const text = texts(approvalCardFor(approvalRequest('pending'), OTHER.id));
    expect(text).toContain('Onboard Frank Newjoiner to \\\\*\\\\*Payments\\\\*\\\\*');
    expect(text).toContain('team-payments \\\\<b\\\\>');
    expect(text).toContain("Bob Manager (the requester's manager)");
    expect(text).toContain('Alice Developer, 2026-11-26 09:00 UTC');
  });

  it.each(['approved', 'rejected', 'cancelled', 'expired'] as const)('%s: nobody has a button', (state) => {
    for (const who of [APPROVER, REQUESTER, OTHER]) expect(verbsOf(approvalCardFor(approvalRequest(state), who.id))).toEqual([]);
  });

  it('after a decision everyone sees who decided, when, and the comment (escaped)', () => {
    const text = texts(approvalCardFor(approvalRequest('rejected'), OTHER.id));
    expect(text).toContain('Rejected by **Bob Manager** on 2026-11-26 10:30 UTC');
    expect(text).toContain('Not before the contract is signed\\\\_');
  });

  it('refresh is the approval.refresh verb for the listed channel ids, and absent (not null) without any', () => {
    const card = approvalCardFor(approvalRequest('pending'), OTHER.id);
    expect(card.refresh).toEqual({ action: { type: 'Action.Execute', title: 'Refresh', verb: APPROVAL_VERBS.refresh, data: { requestId: 'approval:onboarding:act-1' } }, userIds: ['29:demo-alice', '29:demo-bob'] });
    expect('refresh' in approvalCard(approvalRequest('pending'), { role: 'other', actions: [] }, [])).toBe(false);
  });
});

describe('approval card actions over the service', () => {
  let w: ApprovalWorld;
  let audit: InMemoryAuditLog;
  let actions: Map<string, CardAction>;
  let id: string;
  const actor = (p: { id: string; name: string }): TurnActor => ({ id: p.id, name: p.name, channelId: `29:${p.id}`, verified: true });
  const click = (verb: string, p: { id: string; name: string }, data: Record<string, unknown> = {}) => actions.get(verb)!.run({ turn: { activity: { id: `act-${verb}` } } as any, actor: actor(p), data: { requestId: id, ...data } });
  const refused = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof DomainError ? e.code : String(e)));

  beforeEach(async () => {
    audit = new InMemoryAuditLog();
    w = approvalWorld(new InMemoryApprovalStore(), audit);
    const conversations = new InMemoryConversationDirectory();
    actions = new Map(approvalsCardActions({ approvals: w.service, conversations }).map((a) => [a.verb, a]));
    id = (await w.service.request(onboardingAsk())).request.id;
  });

  it('every verb takes { requestId, comment? } and nothing else', () => {
    for (const a of actions.values()) {
      expect(a.data.safeParse({ requestId: id, comment: 'ok' }).success).toBe(true);
      expect(a.data.safeParse({}).success).toBe(false);
    }
    expect([...actions.values()].filter((a) => a.changesState).map((a) => a.verb)).toEqual([APPROVAL_VERBS.approve, APPROVAL_VERBS.reject, APPROVAL_VERBS.cancel]);
  });

  it("refresh answers each viewer's own card", async () => {
    expect(verbsOf(((await click(APPROVAL_VERBS.refresh, P.manager)) as any).card)).toEqual([APPROVAL_VERBS.approve, APPROVAL_VERBS.reject]);
    expect(verbsOf(((await click(APPROVAL_VERBS.refresh, P.lead)) as any).card)).toEqual([APPROVAL_VERBS.cancel]);
    expect(verbsOf(((await click(APPROVAL_VERBS.refresh, P.outsider)) as any).card)).toEqual([]);
    expect(await refused(actions.get(APPROVAL_VERBS.refresh)!.run({ turn: { activity: {} } as any, actor: actor(P.lead), data: { requestId: 'approval:nope:1' } }))).toBe('APPROVALS.NOT_FOUND');
  });

  it('refuses the requester, an outsider and a comment over 1000; the approver decides once, with the comment', async () => {
    expect(await refused(click(APPROVAL_VERBS.approve, P.lead))).toBe('APPROVALS.SELF_APPROVAL');
    expect(await refused(click(APPROVAL_VERBS.approve, P.outsider))).toBe('APPROVALS.NOT_APPROVER');
    expect(await refused(click(APPROVAL_VERBS.cancel, P.manager))).toBe('APPROVALS.NOT_REQUESTER');
    expect(await refused(click(APPROVAL_VERBS.reject, P.manager, { comment: 'x'.repeat(1001) }))).toBe('APPROVALS.COMMENT_TOO_LONG');
    const result = (await click(APPROVAL_VERBS.reject, P.manager, { comment: 'Not yet' })) as any;
    expect(verbsOf(result.card)).toEqual([]);
    expect(texts(result.card)).toContain('Rejected by **Mia Manager**');
    expect(texts(result.card)).toContain('Not yet');
    await click(APPROVAL_VERBS.reject, P.manager, { comment: 'Not yet' }); // a double click: the same card, nothing new
    expect(audit.entries.filter((e) => e.action === 'approval.decide' && e.result === 'success')).toHaveLength(1);
    expect(await refused(click(APPROVAL_VERBS.cancel, P.lead))).toBe('APPROVALS.STALE');
  });
});

describe('ApprovalChatNotifier', () => {
  const sent: { to: string; kind: 'card' | 'text'; body: any }[] = [];
  const messenger = {
    sendCard: async (ref: any, card: any) => void sent.push({ to: ref.user.id, kind: 'card', body: card }) as undefined,
    sendText: async (ref: any, text: string) => void sent.push({ to: ref.user.id, kind: 'text', body: text }) as undefined,
  };
  const deliveries: ApprovalDelivery[] = [];
  const chat = (aad: string, userId: string) => ({ key: userId, conversationId: `a:${userId}`, conversationType: 'personal' as const, userId, aadObjectId: aad, serviceUrl: 'http://127.0.0.1:1', reference: { user: { id: userId }, conversation: { id: `a:${userId}` } } });
  let notifier: ApprovalChatNotifier;

  beforeEach(async () => {
    sent.length = 0;
    deliveries.length = 0;
    const conversations = new InMemoryConversationDirectory();
    await conversations.save(chat(REQUESTER.id, '29:alice'));
    await conversations.save(chat(APPROVER.id, '29:bob'));
    notifier = new ApprovalChatNotifier({ messenger, conversations, onDelivery: (d) => void deliveries.push(d) });
  });

  it("a reminder brings the approver's own card to their 1:1 chat; someone with no chat is skipped and counted", async () => {
    const r = approvalRequest('pending', { approvers: { people: [APPROVER, OTHER], resolvedBy: { kind: 'users', ids: [APPROVER.id, OTHER.id], except: REQUESTER.id } } });
    await notifier.reminded(r);
    expect(sent.map((s) => [s.to, s.kind])).toEqual([['29:bob', 'card']]);
    expect(verbsOf(sent[0]!.body)).toEqual([APPROVAL_VERBS.approve, APPROVAL_VERBS.reject]);
    expect(sent[0]!.body.refresh.userIds).toEqual(['29:alice', '29:bob']);
    expect(deliveries).toEqual([{ event: 'reminded', requestId: r.id, sent: 1, skipped: 1 }]);
  });

  it('decided, expired and cancelled tell the requester in a short text', async () => {
    await notifier.decided(approvalRequest('rejected'));
    await notifier.expired(approvalRequest('expired'));
    await notifier.cancelled(approvalRequest('cancelled'));
    expect(sent.map((s) => [s.to, s.kind])).toEqual([['29:alice', 'text'], ['29:alice', 'text'], ['29:alice', 'text']]);
    expect(sent[0]!.body).toBe('❌ "Onboard Frank Newjoiner to \\*\\*Payments\\*\\*" was rejected by Bob Manager: “Not before the contract is signed\\_”');
    expect(sent[1]!.body).toContain('expired');
    expect(deliveries.map((d) => d.event)).toEqual(['decided', 'expired', 'cancelled']);
  });

  it('a new request brings each approver their card; one who cannot be reached is named to the requester with the reason', async () => {
    const r = approvalRequest('pending', { approvers: { people: [APPROVER, OTHER], resolvedBy: { kind: 'users', ids: [APPROVER.id, OTHER.id], except: REQUESTER.id } } });
    await notifier.requested(r);
    expect(sent.map((s) => [s.to, s.kind])).toEqual([['29:bob', 'card'], ['29:alice', 'text']]);
    expect(sent[1]!.body).toBe(`⚠️ I could not bring the approval card for "Onboard Frank Newjoiner to \\*\\*Payments\\*\\*" to ${OTHER.name} (the bot has never talked with them). Ask them to open a chat with me and say "hi", and they will find it there.`);
  });

  it('with an opener, someone with no recorded chat gets the card in the chat it opens; a refusal is named with its reason', async () => {
    const conversations = new InMemoryConversationDirectory();
    await conversations.save(chat(REQUESTER.id, '29:alice'));
    const opened: string[] = [];
    const opener = {
      referenceFor: async (userId: string): Promise<{ reference: Partial<ConversationReference> } | { unreachable: string }> => {
        opened.push(userId);
        return userId === APPROVER.id ? { reference: { user: { id: '29:opened-bob', name: 'Bob' }, conversation: { id: 'a:opened', isGroup: false, conversationType: 'personal', name: '' } } } : { unreachable: 'CONVERSATION.APP_NOT_IN_CATALOG' };
      },
    };
    notifier = new ApprovalChatNotifier({ messenger, conversations, opener, onDelivery: (d) => void deliveries.push(d) });
    const r = approvalRequest('pending', { approvers: { people: [APPROVER, OTHER], resolvedBy: { kind: 'users', ids: [APPROVER.id, OTHER.id], except: REQUESTER.id } } });
    await notifier.requested(r);
    expect(opened).toEqual([APPROVER.id, OTHER.id]);
    expect(sent.map((s) => [s.to, s.kind])).toEqual([['29:opened-bob', 'card'], ['29:alice', 'text']]);
    expect(sent[1]!.body).toContain("the bot is not published in your organisation's Teams app catalog");
    expect(deliveries[0]).toEqual({ event: 'requested', requestId: r.id, sent: 1, skipped: 1 });
  });
});
