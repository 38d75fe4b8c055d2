/**
 * The welcome card for one viewer, from the onboarding record and its welcome pack: the joiner
 * ticks the checklist, opens the dev container as a pull request and downloads it; the manager and
 * the buddy see the same content with read-only progress; anyone else sees it read-only too.
 * Every text from the catalog, the settings or a person is escaped; links only to allowed hosts.
 */
import { renderOnboardingWelcomeCard, type OnboardingWelcomeCardView } from '../../cards/onboarding-welcome.card';
import type { AdaptiveCard } from '../../cards/render';
import { cut, escapeMarkdown, safeLink } from '../../cards/teams-markdown';
import type { OnboardingRecord } from '../../src/domain/onboarding/onboarding.types';
import type { WelcomePack } from '../../src/domain/onboarding/welcome-pack';

export type WelcomeViewer = 'joiner' | 'manager' | 'buddy' | 'other';

export interface WelcomeCardInput {
  record: OnboardingRecord;
  pack: WelcomePack;
  /** Entra object id of whoever the card is drawn for. */
  viewerId: string;
  /** The devcontainer.json download link (with the record's token); absent: no Download button. */
  downloadUrl?: string;
  refreshUserIds: string[];
  linkHosts: readonly string[];
  /** False where Azure DevOps is not configured: no "Open as a pull request". Default true. */
  pullRequests?: boolean;
}

/** Who the viewer is to this onboarding (the joiner first: a joiner who is also named buddy still ticks). */
export function welcomeViewerOf(record: Pick<OnboardingRecord, 'joiner' | 'manager' | 'buddy'>, viewerId: string): WelcomeViewer {
  const is = (p: { id: string } | undefined) => Boolean(p && p.id.toLowerCase() === viewerId.toLowerCase());
  if (is(record.joiner)) return 'joiner';
  if (is(record.manager)) return 'manager';
  if (is(record.buddy)) return 'buddy';
  return 'other';
}

/** "3 of 8 done". */
export function progressText(record: Pick<OnboardingRecord, 'checklist'>): string {
  return `${record.checklist.filter((i) => i.doneAt).length} of ${record.checklist.length} done`;
}

const name = (p: { name: string }) => escapeMarkdown(cut(p.name, 80));
/** A team with many repositories keeps the card under Teams' ~28 KB: lines and picker choices are capped. */
const MAX_REPOSITORY_LINES = 15;
const MAX_REPOSITORY_CHOICES = 50;

export function welcomeCardView(input: WelcomeCardInput): OnboardingWelcomeCardView {
  const { record, pack, linkHosts } = input;
  const viewer = welcomeViewerOf(record, input.viewerId);
  const joiner = viewer === 'joiner';
  const open = record.state !== 'offboarded';
  const team = escapeMarkdown(cut(record.team.displayName || record.team.name, 80));
  const role = escapeMarkdown(cut(pack.environment.roleTitle, 80));
  const start = escapeMarkdown(record.startDate);
  const { environment, content } = pack;
  return {
    onboardingId: record.id,
    title: joiner ? `Welcome to ${team}, ${name(record.joiner)}!` : `${name(record.joiner)} joins ${team}`,
    intro: joiner
      ? `You start on ${start}. Your manager is ${name(record.manager)}${record.buddy ? ` and your buddy is ${name(record.buddy)}` : ''}: ask them anything.`
      : `Starts on ${start} as ${role}. Checklist: ${progressText(record)}.`,
    facts: [
      { label: 'Team', value: team },
      { label: 'Role', value: role },
      { label: 'Start date', value: start },
      { label: 'Manager', value: name(record.manager) },
      ...(record.buddy ? [{ label: 'Buddy', value: name(record.buddy) }] : []),
      ...(open ? [] : [{ label: 'Offboarded', value: record.offboardedAt ? `${record.offboardedAt.toISOString().slice(0, 10)}` : 'yes' }]),
    ],
    docs: content.docs.map((d) => `${safeLink(cut(d.title, 120), d.url, linkHosts)}${d.of ? ` (${escapeMarkdown(d.of)})` : ''}`),
    ...(content.docsOmitted ? { docsMore: `and ${content.docsOmitted} more in the catalog` } : {}),
    environmentHeading: `${joiner ? 'Your dev environment' : 'Dev environment'}: ${role}`,
    tools: environment.tools.map((t) => ({ name: escapeMarkdown(cut(t.name, 60)), version: escapeMarkdown(cut(t.version, 60)) })),
    repositoriesHeading: environment.repositories.length ? 'Repositories to clone' : 'Repositories to clone: the catalog lists none for the team yet',
    repositories: [
      ...environment.repositories.slice(0, MAX_REPOSITORY_LINES).map((r) => safeLink(`${r.project}/${r.name}`, r.webUrl, linkHosts)),
      ...(environment.repositories.length > MAX_REPOSITORY_LINES ? [`and ${environment.repositories.length - MAX_REPOSITORY_LINES} more (the devcontainer.json clones them all)`] : []),
    ],
    repositoryChoices: environment.repositories.slice(0, MAX_REPOSITORY_CHOICES).map((r) => ({ title: cut(`${r.project}/${r.name}`, 100), value: `${r.project}/${r.name}` })),
    checklistHeading: `Checklist: ${progressText(record)}`,
    checklist: record.checklist.map((i) => ({ itemId: i.id, title: cut(i.text, 200), done: Boolean(i.doneAt), line: `${i.doneAt ? '✅' : '⬜'} ${escapeMarkdown(cut(i.text, 200))}` })),
    note: !open ? 'This onboarding is closed: the access it granted was taken back.' : NOTES[viewer](record),
    canEdit: joiner && open,
    canOpenPr: joiner && open && input.pullRequests !== false,
    ...(joiner && open && input.downloadUrl ? { downloadUrl: input.downloadUrl } : {}),
    refreshUserIds: input.refreshUserIds,
  };
}

const NOTES: Record<WelcomeViewer, (r: OnboardingRecord) => string> = {
  joiner: () => 'Tick what you have done and press Save progress: your manager and buddy see your progress.',
  manager: (r) => `You are ${name(r.joiner)}'s manager: they tick these on their card, and you see their progress here.`,
  buddy: (r) => `You are ${name(r.joiner)}'s buddy: they tick these on their card, and you see their progress here.`,
  other: (r) => `Only ${name(r.joiner)} ticks this checklist; their manager and buddy follow it.`,
};

export const welcomeCard = (input: WelcomeCardInput): AdaptiveCard => renderOnboardingWelcomeCard(welcomeCardView(input));
