/**
 * The welcome card's buttons: Refresh (each viewer's own view), Save progress (the joiner's
 * checklist ticks) and Open as a pull request (the devcontainer.json in a team repository). Each
 * runs as the verified acting user where it changes something; the services decide who may
 * (only the joiner) and their refusals are words for the clicker while the card stays. Saving
 * answers with the clicker's updated card; the pull request answers with its link.
 */
import { z } from 'zod';
import { CHECKLIST_INPUT_PREFIX, ONBOARDING_WELCOME_VERBS, REPOSITORY_INPUT } from '../../cards/onboarding-welcome.card';
import { cardAction, type CardAction, type CardActionContext } from '../../src/bot/card-action-router';
import type { ConversationDirectory } from '../../src/domain/conversations/conversations.port';
import { DomainError } from '../../src/domain/domain-error';
import type { ChecklistService } from '../../src/domain/onboarding/checklist.service';
import type { DevcontainerPrService } from '../../src/domain/onboarding/devcontainer-pr.service';
import type { OnboardingStore } from '../../src/domain/onboarding/onboarding-store.port';
import type { OnboardingRecord } from '../../src/domain/onboarding/onboarding.types';
import type { WelcomePackFor } from '../../src/domain/onboarding/welcome-pack';
import { welcomeCard } from './welcome.views';

export interface WelcomeCardActionsDeps {
  store: Pick<OnboardingStore, 'get'>;
  pack: WelcomePackFor;
  checklist: Pick<ChecklistService, 'save'>;
  /** Absent where Azure DevOps is not configured: the card offers no pull request. */
  devcontainerPr?: Pick<DevcontainerPrService, 'open'>;
  /** Personal chats recorded by the bot: the channel user ids the card refreshes for. */
  conversations: Pick<ConversationDirectory, 'findByAadObjectId'>;
  /** The devcontainer.json download link of a record (public URL + token); undefined: no Download button. */
  downloadUrl: (record: OnboardingRecord) => string | undefined;
  linkHosts: readonly string[];
}

/** The card gathers every input into every button's data: the toggles (`check.<id>`) and the repository picker ride along. */
const onboarding = z.object({ onboardingId: z.string().min(1).max(100) }).catchall(z.unknown());
const pullRequest = onboarding.extend({ [REPOSITORY_INPUT]: z.string().min(1).max(300) });
type Data = z.infer<typeof onboarding>;

/** `check.<id>: "true" | "false"` -> id -> done; anything else is ignored. */
export function ticksFrom(data: Record<string, unknown>): Record<string, boolean> {
  const ticks: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith(CHECKLIST_INPUT_PREFIX) || (value !== 'true' && value !== 'false' && typeof value !== 'boolean')) continue;
    ticks[key.slice(CHECKLIST_INPUT_PREFIX.length)] = value === true || value === 'true';
  }
  return ticks;
}

export function welcomeCardActions(deps: WelcomeCardActionsDeps): CardAction[] {
  /** Teams refreshes for channel user ids: the clicker's, and the joiner's, manager's and buddy's whose personal chat is recorded. */
  const refreshIds = async (r: OnboardingRecord, c: CardActionContext<Data>): Promise<string[]> => {
    const people = [r.joiner, r.manager, ...(r.buddy ? [r.buddy] : [])];
    const stored = await Promise.all(people.map((p) => deps.conversations.findByAadObjectId(p.id)));
    return [c.actor.channelId, ...stored.flatMap((s) => (s?.userId ? [s.userId] : []))];
  };
  const cardFor = async (record: OnboardingRecord, c: CardActionContext<Data>) => {
    const url = deps.downloadUrl(record);
    return { card: welcomeCard({ record, pack: await deps.pack(record), viewerId: c.actor.id, refreshUserIds: await refreshIds(record, c), linkHosts: deps.linkHosts, pullRequests: Boolean(deps.devcontainerPr), ...(url ? { downloadUrl: url } : {}) }) };
  };
  const ctx = (c: CardActionContext<Data>) => ({ actor: { id: c.actor.id, name: c.actor.name }, ...(c.turn.activity.id ? { activityId: c.turn.activity.id } : {}) });

  return [
    cardAction({
      verb: ONBOARDING_WELCOME_VERBS.refresh,
      data: onboarding,
      changesState: false,
      run: async (c) => {
        const record = await deps.store.get(c.data.onboardingId);
        if (!record) throw new DomainError('ONBOARDING.RECORD_NOT_FOUND', `no onboarding ${c.data.onboardingId}`, { id: c.data.onboardingId });
        return cardFor(record, c);
      },
    }),
    cardAction({
      verb: ONBOARDING_WELCOME_VERBS.checklist,
      data: onboarding,
      changesState: true,
      run: async (c) => cardFor(await deps.checklist.save(ctx(c), c.data.onboardingId, ticksFrom(c.data)), c),
    }),
    cardAction({
      verb: ONBOARDING_WELCOME_VERBS.devcontainerPr,
      data: pullRequest,
      changesState: true,
      run: async (c) => {
        // A card drawn before Azure DevOps was unconfigured: say so instead of failing.
        if (!deps.devcontainerPr) return { message: 'Pull requests are not available here (no Azure DevOps is configured). Download the devcontainer.json from the card instead.' };
        const pr = await deps.devcontainerPr.open(ctx(c), c.data.onboardingId, c.data[REPOSITORY_INPUT] as string);
        return { message: `${pr.created ? 'I opened' : 'You already have'} pull request ${pr.pullRequestId} in ${pr.repository} with the dev container: ${pr.url}` };
      },
    }),
  ];
}
