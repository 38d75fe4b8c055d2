/**
 * Onboard / offboard domain objects -> card data: the form (what is missing or wrong), the preview
 * before anyone is asked, and how the provisioning jobs look (their steps show on the approval
 * card). Every text from a person, the directory or the catalog is escaped here.
 */
import { renderOnboardingForm, type Choice, type OnboardingMode } from '../../cards/onboarding-form.card';
import { renderOnboardingPreview } from '../../cards/onboarding-preview.card';
import type { AdaptiveCard } from '../../cards/render';
import { cut, escapeMarkdown } from '../../cards/teams-markdown';
import type { JobPresentation } from '../../src/bot/job-presentation';
import type { ApprovalRequest } from '../../src/domain/approvals/approval.types';
import type { OffboardingPreview } from '../../src/domain/onboarding/offboarding.service';
import { OFFBOARDING_JOB, OFFBOARDING_STEPS, type OffboardingJobInput } from '../../src/domain/onboarding/offboarding.job';
import type { OnboardInput } from '../../src/domain/onboarding/onboarding-input';
import type { OnboardingPreview } from '../../src/domain/onboarding/onboarding-request.service';
import { ONBOARDING_JOB, ONBOARDING_STEPS, type OnboardingJobInput } from '../../src/domain/onboarding/onboarding.job';
import { tookSeconds } from '../common/job-progress.views';

const esc = (s: string, max = 300) => escapeMarkdown(cut(s, max));

export interface FormChoices {
  roles: Choice[];
}

/** The form with what was given so far and what is wrong with it. */
export function formCard(mode: OnboardingMode, values: OnboardInput, problems: string[], choices: FormChoices): AdaptiveCard {
  const asChoice = (v: string | undefined): Choice[] => (v?.trim() ? [{ title: esc(v, 100), value: cut(v, 200) }] : []);
  const onboard = mode === 'onboard';
  return renderOnboardingForm({
    mode,
    heading: onboard ? 'Onboard someone to a team' : 'Offboard someone from a team',
    intro: onboard
      ? "Who joins, which team, their role and first day. Their manager approves on a card; nothing is granted before. Or type it all at once: onboard person=<upn> team=<team> role=<role> start=<YYYY-MM-DD> buddy=<upn>."
      : 'Who leaves which team. I list what I will remove (only what I granted and what the team lists) and their manager approves.',
    problems: problems.map((p) => esc(p, 500)),
    person: cut(values.person ?? '', 200),
    personChoices: asChoice(values.person),
    team: cut(values.team ?? '', 200),
    teamChoices: asChoice(values.team),
    role: cut(values.role ?? '', 100),
    roles: choices.roles,
    start: cut(values.start ?? '', 10),
    buddy: cut(values.buddy ?? '', 200),
    buddyChoices: asChoice(values.buddy),
  });
}

const valuesOf = (v: OnboardInput) => ({ person: v.person ?? '', team: v.team ?? '', role: v.role ?? '', start: v.start ?? '', buddy: v.buddy ?? '' });

function pendingLine(r: ApprovalRequest): string {
  return `A request for this already waits: asked by ${esc(r.requester.name, 80)} on ${r.createdAt.toISOString().slice(0, 10)}, for ${r.approvers.people.map((p) => esc(p.name, 80)).join(', ')} to decide. I will not ask twice.`;
}

/** The preview of an onboarding or offboarding; `previewId` makes Ask idempotent. */
export function previewCard(mode: OnboardingMode, preview: OnboardingPreview | OffboardingPreview, values: OnboardInput, previewId: string): AdaptiveCard {
  const approver = esc(preview.ask.manager.name, 80);
  return renderOnboardingPreview({
    mode,
    title: esc(preview.summary.title, 200),
    intro: `Nothing changes until ${approver} approves. ${mode === 'onboard' ? 'Then I grant all of this at once and send the welcome.' : 'Then I remove exactly this.'}`,
    facts: preview.summary.facts.map((f) => ({ label: esc(f.label, 60), value: esc(f.value, 600) })),
    warnings: preview.warnings.map((w) => esc(w, 300)),
    ...(preview.pending
      ? { pending: { requestId: preview.pending.id, line: pendingLine(preview.pending) } }
      : { ask: { title: `Ask ${approver} to approve`, previewId, values: valuesOf(values) } }),
  });
}

/** The onboarding job on the approval card: its steps and how it ended. */
export function onboardingJobPresentation(retry: JobPresentation['retry']): JobPresentation {
  return {
    type: ONBOARDING_JOB,
    stepLabels: ONBOARDING_STEPS,
    facts: (raw) => {
      const input = raw as OnboardingJobInput;
      return { where: `${input.ask.joiner.name} in ${input.ask.team.displayName}`, subheading: `Approved by ${input.approvedBy.name}`, verb: { running: 'Giving access to', done: 'Onboarded' } };
    },
    links: () => [],
    success: (job, outputs) => {
      const input = job.input as unknown as OnboardingJobInput;
      const welcome = outputs.welcome;
      return {
        status: `Done${tookSeconds(job)}: ${esc(input.ask.joiner.name, 80)} has every access.`,
        detail: welcome?.delivered ? 'The welcome card is in their chat with me.' : `The welcome card waits until I can reach them (${esc(String(welcome?.waitingReason ?? 'not reachable yet'), 80)}); I send it with their first message to me.`,
      };
    },
    retry,
  };
}

export function offboardingJobPresentation(retry: JobPresentation['retry']): JobPresentation {
  return {
    type: OFFBOARDING_JOB,
    stepLabels: OFFBOARDING_STEPS,
    facts: (raw) => {
      const input = raw as OffboardingJobInput;
      return { where: `${input.ask.person.name} from ${input.ask.team.displayName}`, subheading: `Approved by ${input.approvedBy.name}`, verb: { running: 'Removing access of', done: 'Offboarded' } };
    },
    links: () => [],
    success: (job, outputs) => {
      const removed = (outputs.finish?.removed as string[] | undefined) ?? [];
      const gone = (outputs.finish?.alreadyGone as string[] | undefined) ?? [];
      return {
        status: `Done${tookSeconds(job)}: removed ${removed.length ? removed.map((r) => esc(r, 100)).join(', ') : 'nothing'}.`,
        ...(gone.length ? { detail: `Already gone: ${gone.map((r) => esc(r, 100)).join(', ')}.` } : {}),
      };
    },
    retry,
  };
}
