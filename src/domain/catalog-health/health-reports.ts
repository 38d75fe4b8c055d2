/**
 * What `catalog health` answers, read from the stored runs (never computed on the chat path):
 * the latest run's coverage, top failing rules, worst teams and the trend over the last runs;
 * one team's failing checks grouped by rule, worst first; a did-you-mean for a team it does not know.
 */
import { distance } from 'fastest-levenshtein';
import type { HealthRunStore } from './health-run-store.port';
import { ruleInfo } from './health-rules';
import { NO_OWNER_TEAM, severityRank, type HealthRuleId, type HealthRun, type HealthSeverity, type TeamHealth } from './health.types';

export const TREND_RUNS = 6;
const TOP = 5;
const SUGGESTIONS = 3;
const EXAMPLE_REFS = 3;

export interface TrendPoint {
  runId: string;
  finishedAt: Date;
  /** Failing checks in that run (of the team, for a team); undefined: the team was not in that run. */
  failing?: number;
}

export interface TeamRef {
  team: string;
  name: string;
}

export interface RuleCount {
  ruleId: HealthRuleId;
  title: string;
  severity: HealthSeverity;
  failing: number;
}

export interface RuleGroup extends RuleCount {
  fixHint: string;
  /** The first few entities failing it, worst first then by ref. */
  refs: string[];
}

export type HealthOverviewAnswer =
  | { kind: 'no-run'; nextRunAt: Date }
  | { kind: 'overview'; latest: HealthRun; failing: number; topRules: RuleCount[]; worstTeams: (TeamRef & { failing: number })[]; trend: TrendPoint[]; teams: number };

export type TeamHealthAnswer =
  | { kind: 'no-run'; nextRunAt: Date }
  | { kind: 'unknown'; text: string; suggestions: TeamRef[] }
  | { kind: 'team'; latest: HealthRun; team: TeamRef; health: TeamHealth; groups: RuleGroup[]; trend: TrendPoint[] };

export class CatalogHealthReports {
  constructor(
    private readonly runs: Pick<HealthRunStore, 'latestRuns' | 'teamHealth'>,
    /** When the next scheduled run starts. */
    private readonly nextRunAt: () => Date,
  ) {}

  async overview(): Promise<HealthOverviewAnswer> {
    const runs = await this.runs.latestRuns(TREND_RUNS);
    const latest = runs[0];
    if (!latest) return { kind: 'no-run', nextRunAt: this.nextRunAt() };
    const topRules = (Object.entries(latest.failingByRule) as [HealthRuleId, number][])
      .filter(([, n]) => n > 0)
      .map(([ruleId, failing]) => ({ ruleId, failing, ...pick(ruleInfo(ruleId)) }))
      .sort((a, b) => b.failing - a.failing || severityRank(a.severity) - severityRank(b.severity) || a.ruleId.localeCompare(b.ruleId))
      .slice(0, TOP);
    const worstTeams = Object.entries(latest.failingByTeam)
      .filter(([, n]) => n > 0)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, TOP)
      .map(([team, failing]) => ({ ...teamRef(latest, team), failing }));
    return {
      kind: 'overview',
      latest,
      failing: total(latest),
      topRules,
      worstTeams,
      trend: [...runs].reverse().map((r) => ({ runId: r.id, finishedAt: r.finishedAt, failing: total(r) })),
      teams: Object.keys(latest.failingByTeam).length,
    };
  }

  async team(text: string): Promise<TeamHealthAnswer> {
    const runs = await this.runs.latestRuns(TREND_RUNS);
    const latest = runs[0];
    if (!latest) return { kind: 'no-run', nextRunAt: this.nextRunAt() };
    const found = resolveTeam(latest, text);
    if (found.length !== 1) return { kind: 'unknown', text, suggestions: found.length ? found : suggestTeams(latest, text) };
    const team = found[0]!;
    const health = (await this.runs.teamHealth(latest.id, team.team)) ?? { runId: latest.id, team: team.team, entityCount: 0, findings: [], waived: 0 };
    return {
      kind: 'team',
      latest,
      team,
      health,
      groups: groupByRule(health),
      trend: [...runs].reverse().map((r) => ({ runId: r.id, finishedAt: r.finishedAt, ...(r.failingByTeam[team.team] !== undefined ? { failing: r.failingByTeam[team.team] } : {}) })),
    };
  }
}

const pick = ({ title, severity }: { title: string; severity: HealthSeverity }) => ({ title, severity });

const total = (run: HealthRun): number => Object.values(run.failingByRule).reduce((a, b) => a + (b ?? 0), 0);

/** `group:default/team-payments` -> its name; the owner as written otherwise. */
const shortName = (team: string): string => (team === NO_OWNER_TEAM ? team : (team.split('/').pop() ?? team));

const teamRef = (run: HealthRun, team: string): TeamRef => ({ team, name: run.teamNames?.[team] ?? shortName(team) });

const normalize = (text: string): string => text.trim().replace(/^["'`]+|["'`?.!]+$/g, '').trim().toLowerCase();

function completeRef(text: string): string {
  const colon = text.indexOf(':');
  const kind = colon > 0 ? text.slice(0, colon) : 'group';
  const rest = colon > 0 ? text.slice(colon + 1) : text;
  return `${kind}:${rest.includes('/') ? rest : `default/${rest}`}`;
}

/** Teams of the run that `text` names exactly: full ref, `kind:name`, name, or display name. Two namespaces may give two. */
export function resolveTeam(run: HealthRun, text: string): TeamRef[] {
  const wanted = normalize(text);
  if (!wanted) return [];
  const teams = Object.keys(run.failingByTeam);
  const exact = teams.find((t) => t === wanted);
  if (exact) return [teamRef(run, exact)];
  // A shorthand ref means the default namespace, as Backstage completes it (`team-a` -> group:default/team-a).
  const completed = teams.find((t) => t === completeRef(wanted));
  if (completed) return [teamRef(run, completed)];
  const withDefaultKind = wanted.includes(':') ? wanted : `group:${wanted}`;
  const matches = teams.filter((t) => {
    const [kind = '', rest = ''] = t.split(':');
    const name = rest.split('/').pop() ?? '';
    const namespaced = rest; // namespace/name
    return (
      t === withDefaultKind ||
      namespaced === wanted ||
      name === wanted ||
      `${kind}:${name}` === wanted ||
      run.teamNames?.[t]?.toLowerCase() === wanted
    );
  });
  return matches.sort().map((t) => teamRef(run, t));
}

/** The run's teams closest to `text` (edit distance on name and display name, or containing it). */
export function suggestTeams(run: HealthRun, text: string): TeamRef[] {
  const wanted = normalize(text).split('/').pop()!.replace(/^group:/, '');
  if (!wanted) return [];
  const scored = Object.keys(run.failingByTeam)
    .filter((t) => t !== NO_OWNER_TEAM)
    .map((t) => {
      const names = [shortName(t), run.teamNames?.[t]?.toLowerCase()].filter((n): n is string => Boolean(n));
      const score = Math.min(...names.map((n) => (n.includes(wanted) || wanted.includes(n) ? 0.1 : distance(wanted, n) / Math.max(wanted.length, n.length))));
      return { t, score };
    })
    .filter((s) => s.score <= 0.25)
    .sort((a, b) => a.score - b.score || a.t.localeCompare(b.t));
  return scored.slice(0, SUGGESTIONS).map((s) => teamRef(run, s.t));
}

/** Findings per rule, worst severity first, then most failing. */
function groupByRule(health: TeamHealth): RuleGroup[] {
  const groups = new Map<HealthRuleId, RuleGroup>();
  for (const f of health.findings) {
    let g = groups.get(f.ruleId);
    if (!g) {
      const info = ruleInfo(f.ruleId);
      groups.set(f.ruleId, (g = { ruleId: f.ruleId, title: info.title, severity: info.severity, fixHint: info.fixHint, failing: 0, refs: [] }));
    }
    g.failing++;
    if (g.refs.length < EXAMPLE_REFS) g.refs.push(f.ref);
  }
  return [...groups.values()].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.failing - a.failing || a.ruleId.localeCompare(b.ruleId));
}
