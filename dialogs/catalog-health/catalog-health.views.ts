/**
 * Health answers -> card data and chat text. Team names, refs and details come from descriptors:
 * escaped here (cards/teams-markdown.ts); the trend is text (a count and a bar per run), no image.
 */
import { renderCatalogHealthCard, type CatalogHealthCardView } from '../../cards/catalog-health.card';
import type { AdaptiveCard } from '../../cards/render';
import { codeSpan, escapeMarkdown } from '../../cards/teams-markdown';
import type { HealthOverviewAnswer, TeamHealthAnswer, TeamRef, TrendPoint } from '../../src/domain/catalog-health/health-reports';
import type { HealthRun } from '../../src/domain/catalog-health/health.types';

const MAX_EXAMPLES = 3;

export const when = (d: Date): string => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const pct = (n: number | undefined): string => (n === undefined ? 'not measured' : `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} %`);
const num = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${num(n)} ${n === 1 ? one : many}`;

export function noRunText(nextRunAt: Date): string {
  return `No catalog health run has finished yet. The first one is due at ${when(nextRunAt)}.`;
}

export function unknownTeamText(text: string, suggestions: TeamRef[]): string {
  const named = suggestions.map((s) => `**${escapeMarkdown(s.name)}** (${codeSpan(s.team)})`);
  const head = `The last catalog health run has no team called ${codeSpan(text)}.`;
  if (!named.length) return `${head} Type **catalog health** to see every team's numbers.`;
  const list = named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} or ${named[named.length - 1]}`;
  return `${head} Did you mean ${list}? Type **catalog health** followed by the team's name.`;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** The trend at a glance, oldest first, scaled from the lowest to the highest count (a run the team was not in: a space). */
export function sparkline(points: TrendPoint[]): string {
  const counts = points.map((p) => p.failing).filter((n): n is number => n !== undefined);
  const min = Math.min(...counts);
  const span = Math.max(...counts) - min;
  return points.map((p) => (p.failing === undefined ? ' ' : SPARKS[span === 0 ? 3 : Math.round(((p.failing - min) / span) * (SPARKS.length - 1))])).join('');
}

/** One row per run, oldest first: the count and the change since the run before. */
function trendRows(points: TrendPoint[]): { label: string; value: string }[] {
  let previous: number | undefined;
  return points.map((p) => {
    if (p.failing === undefined) {
      previous = undefined;
      return { label: when(p.finishedAt), value: 'not in this run' };
    }
    const delta = previous === undefined ? '' : p.failing === previous ? ' (=)' : ` (${p.failing > previous ? '+' : '−'}${num(Math.abs(p.failing - previous))})`;
    previous = p.failing;
    return { label: when(p.finishedAt), value: `${num(p.failing)}${delta}` };
  });
}

function notEvaluatedNote(run: HealthRun): string {
  if (!run.notEvaluated?.length) return '';
  const parts = run.notEvaluated.map((n) => `${n.ruleId} for ${plural(n.entities, 'entity', 'entities')}: ${escapeMarkdown(n.reason)}`);
  return `Not evaluated in this run: ${parts.join('; ')}.`;
}

export function overviewCard(answer: Extract<HealthOverviewAnswer, { kind: 'overview' }>, nextRunAt: Date): AdaptiveCard {
  const { latest } = answer;
  const view: CatalogHealthCardView = {
    heading: 'Catalog health',
    subheading: `Run of ${when(latest.finishedAt)}: ${plural(latest.entityCount, 'entity', 'entities')} checked by ${plural(latest.rules.length, 'rule')}, ${plural(answer.teams, 'team')}.`,
    facts: [
      { title: 'Repositories with a valid catalog-info.yaml', value: pct(latest.repositoryCoverage) },
      { title: 'Entities with a live owner', value: pct(latest.liveOwnerCoverage) },
      { title: 'Failing checks', value: num(answer.failing) },
    ],
    sections: [
      {
        title: 'Top failing rules',
        rows: answer.topRules.map((r) => ({ label: escapeMarkdown(r.title), value: `${num(r.failing)} (${r.severity}, ${r.ruleId})` })),
        ...(answer.topRules.length ? {} : { text: 'Nothing is failing.' }),
      },
      {
        title: 'Worst teams',
        rows: answer.worstTeams.map((t) => ({ label: escapeMarkdown(t.name), value: `${num(t.failing)} failing` })),
        ...(answer.worstTeams.length ? {} : { text: 'No team has a failing check.' }),
      },
      trendSection(answer.trend),
    ],
    note: notEvaluatedNote(latest),
    footer: `For one team: ${escapeMarkdown('catalog health <team>')}. Next run: ${when(nextRunAt)}.`,
  };
  return renderCatalogHealthCard(view);
}

export function teamCard(answer: Extract<TeamHealthAnswer, { kind: 'team' }>, nextRunAt: Date): AdaptiveCard {
  const { health, latest, team } = answer;
  const failing = answer.groups.reduce((n, g) => n + g.failing, 0);
  const view: CatalogHealthCardView = {
    heading: `Catalog health: ${escapeMarkdown(team.name)}`,
    subheading: `${escapeMarkdown(team.team)} · run of ${when(latest.finishedAt)}: ${plural(health.entityCount, 'entity', 'entities')}, ${plural(failing, 'failing check')}${health.waived ? `, ${num(health.waived)} waived` : ''}.`,
    facts: [],
    sections: [
      ...(answer.groups.length
        ? answer.groups.map((g) => ({
            title: `${escapeMarkdown(g.title)}: ${num(g.failing)} (${g.severity})`,
            rows: [],
            text: `${escapeMarkdown(g.fixHint)}\n\n${escapeMarkdown(examples(g.refs, g.failing))}`,
          }))
        : [{ title: 'Nothing failing', rows: [], text: 'Every check of this team passes.' }]),
      trendSection(answer.trend),
    ],
    note: notEvaluatedNote(latest),
    footer: `Next run: ${when(nextRunAt)}.`,
  };
  return renderCatalogHealthCard(view);
}

function trendSection(trend: TrendPoint[]) {
  return { title: `Failing checks, last ${plural(trend.length, 'run')}: ${sparkline(trend)}`, rows: trendRows(trend) };
}

function examples(refs: string[], total: number): string {
  const shown = refs.slice(0, MAX_EXAMPLES).join(', ');
  return total > refs.length ? `${shown} and ${num(total - refs.length)} more` : shown;
}
