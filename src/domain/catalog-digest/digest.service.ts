/**
 * The weekly digest: for each owning team of the latest health run, one card built from its
 * findings (not waived), compared with the run closest to a week earlier, sent to the team's
 * channel or, failing that, to its members 1:1. Each occurrence delivers at most once per team and
 * conversation: deliveries are recorded, so a re-run after a crash sends only what is missing (a
 * crash between the connector's answer and the record re-sends that one card).
 */
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { isConversationGone, type StoredConversation } from '../conversations/conversations.types';
import { DomainError } from '../domain-error';
import type { HealthRunStore } from '../catalog-health/health-run-store.port';
import type { HealthWaiverStore } from '../catalog-health/health-waiver-store.port';
import { waiverKey, type HealthRun, type HealthWaiver, type TeamHealth } from '../catalog-health/health.types';
import { composeDigest } from './digest-composition';
import type { DigestDeliveryStore } from './digest-delivery-store.port';
import type { DigestRecipientResolver, MemberRecipients } from './digest-recipients';
import type { TeamDigest } from './digest.types';
import type { FixRecordStore } from './fix-record-store.port';
import type { RuleInfoLookup } from './rule-presentation';

/** Sends one team's digest card to one conversation (the chat edge renders it); the message id. */
export interface DigestPublisher {
  publish(to: StoredConversation, digest: TeamDigest): Promise<string | undefined>;
}

export interface DigestLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface DigestSettings {
  /** Checks listed per rule before "and N more". */
  maxPerRule: number;
  /** Teams with nothing failing get a short "all good" card (else nothing). */
  allGood: boolean;
}

export interface CatalogDigestDeps {
  runs: HealthRunStore;
  waivers: HealthWaiverStore;
  catalog: Pick<CatalogStore, 'get' | 'getMany'>;
  recipients: DigestRecipientResolver;
  deliveries: DigestDeliveryStore;
  fixes: FixRecordStore;
  publisher: DigestPublisher;
  rules: RuleInfoLookup;
  settings: DigestSettings;
  logger?: DigestLogger;
  clock?: () => Date;
}

export interface DigestTotals {
  runId?: string;
  teams: number;
  sent: number;
  alreadyDelivered: number;
  nothingFailing: number;
  /** Teams nobody could be reached for (no channel, no member with a chat). */
  unreachableTeams: number;
  /** Members of teams without a channel who have no chat with the bot. */
  unreachableMembers: number;
  failed: number;
}

const WEEK_MS = 7 * 24 * 3600_000;
/** A run up to half a day after "a week earlier" is closer than the one before it (runs finish at slightly different times). */
const CLOSEST_WINDOW_MS = 12 * 3600_000;

export class CatalogDigestService {
  private readonly log: DigestLogger;
  private readonly clock: () => Date;

  constructor(private readonly deps: CatalogDigestDeps) {
    this.log = deps.logger ?? { info: () => undefined, warn: () => undefined };
    this.clock = deps.clock ?? (() => new Date());
  }

  /** One occurrence of the weekly job; idempotent (see the file comment). */
  async runOccurrence(occurrence: string, signal?: AbortSignal): Promise<DigestTotals> {
    const totals: DigestTotals = { teams: 0, sent: 0, alreadyDelivered: 0, nothingFailing: 0, unreachableTeams: 0, unreachableMembers: 0, failed: 0 };
    const [run] = await this.deps.runs.latestRuns(1);
    if (!run) {
      this.log.info({ occurrence }, 'catalog digest: no health run yet, nothing sent');
      return totals;
    }
    totals.runId = run.id;
    const previousRun = await this.previousRun(run);
    const teams = await this.deps.runs.teamsOf(run.id);
    const waivers = await this.waiverIndex();
    for (const current of teams) {
      if (signal?.aborted) break;
      totals.teams++;
      try {
        await this.deliver(occurrence, run, previousRun, current, waivers, totals);
      } catch (err) {
        totals.failed++;
        this.log.warn({ err, occurrence, team: current.team }, 'catalog digest: delivery failed; a re-run of the occurrence sends it');
      }
    }
    this.log.info({ occurrence, ...totals }, 'catalog digest totals');
    if (totals.failed) throw new DomainError('DIGEST.DELIVERY_FAILED', `${totals.failed} team digest(s) of ${occurrence} not delivered`, { failed: totals.failed, occurrence });
    return totals;
  }

  /** A team's digest from the latest run, with the waivers and pull requests as they are now; null when the team is not in it. */
  async teamDigest(team: string): Promise<TeamDigest | null> {
    const [run] = await this.deps.runs.latestRuns(1);
    if (!run) return null;
    const current = await this.deps.runs.teamHealth(run.id, team);
    if (!current) return null;
    return this.compose(run, await this.previousRun(run), current, await this.waiverIndex());
  }

  private async deliver(occurrence: string, run: HealthRun, previousRun: HealthRun | undefined, current: TeamHealth, waivers: Map<string, HealthWaiver>, totals: DigestTotals): Promise<void> {
    const digest = await this.compose(run, previousRun, current, waivers);
    if (digest.failing === 0 && !this.deps.settings.allGood) {
      totals.nothingFailing++;
      return;
    }
    const owner = await this.deps.catalog.get(current.team);
    const resolved = await this.deps.recipients.resolve(owner);
    const done = new Set(await this.deps.deliveries.deliveredTo(occurrence, current.team));
    const recipients = resolved.via === 'channel' ? await this.toChannel(occurrence, current.team, resolved.conversations, owner, digest, done, totals) : resolved;
    if (!recipients) return;
    if (recipients.via === 'nobody') {
      totals.unreachableTeams++;
      this.log.warn({ occurrence, team: current.team, reason: recipients.reason }, 'catalog digest: nobody to send it to');
      return;
    }
    if (recipients.unreachable) {
      totals.unreachableMembers += recipients.unreachable;
      this.log.info({ occurrence, team: current.team, reached: recipients.conversations.length, skipped: recipients.unreachable }, 'catalog digest: no team channel; sent to members 1:1, members without a chat skipped');
    }
    for (const to of recipients.conversations) {
      if (done.has(to.conversationId)) {
        totals.alreadyDelivered++;
        continue;
      }
      await this.send(occurrence, current.team, to, digest, totals);
    }
  }

  /**
   * The card to the first channel that takes it (the one the Group's link names, then General).
   * A channel Teams refuses for good (the bot removed from the team, the channel deleted) is
   * skipped, and forgotten when stored; when none takes it, the members 1:1. Any other failure
   * (429, 5xx) is thrown: the occurrence's retry sends it. Null when a channel has the card.
   */
  private async toChannel(occurrence: string, team: string, channels: StoredConversation[], owner: CatalogEntity | null, digest: TeamDigest, done: Set<string>, totals: DigestTotals): Promise<MemberRecipients | null> {
    if (channels.some((c) => done.has(c.conversationId))) {
      totals.alreadyDelivered++;
      return null;
    }
    for (const channel of channels) {
      try {
        await this.send(occurrence, team, channel, digest, totals);
        return null;
      } catch (err) {
        if (!isConversationGone(err)) throw err;
        const forgotten = await this.deps.recipients.forget(channel);
        this.log.warn({ occurrence, team, conversationId: channel.conversationId, code: err.code, forgotten }, forgotten ? 'catalog digest: Teams refuses the team channel for good (bot removed?); channel forgotten, trying the next way' : 'catalog digest: Teams refuses the channel for good; trying the next way');
      }
    }
    return this.deps.recipients.members(owner);
  }

  private async send(occurrence: string, team: string, to: StoredConversation, digest: TeamDigest, totals: DigestTotals): Promise<void> {
    const activityId = await this.deps.publisher.publish(to, digest);
    await this.deps.deliveries.record({ occurrence, team, conversationId: to.conversationId, ...(activityId ? { activityId } : {}), at: this.clock() });
    totals.sent++;
  }

  private async compose(run: HealthRun, previousRun: HealthRun | undefined, current: TeamHealth, waivers: Map<string, HealthWaiver>): Promise<TeamDigest> {
    const previous = previousRun ? await this.deps.runs.teamHealth(previousRun.id, current.team) : undefined;
    const team = await this.deps.catalog.get(current.team);
    const refs = [...new Set(current.findings.map((f) => f.ref))];
    return composeDigest({
      run,
      current,
      ...(previousRun ? { previousRun, previous } : {}),
      teamName: team?.profile?.displayName ?? team?.title ?? team?.name ?? current.team,
      rules: this.deps.rules,
      waiverOf: (ref, ruleId) => waivers.get(waiverKey(ref, ruleId)),
      fixes: refs.length ? await this.deps.fixes.forEntities(refs) : [],
      maxPerRule: this.deps.settings.maxPerRule,
    });
  }

  private async waiverIndex(): Promise<Map<string, HealthWaiver>> {
    const active = await this.deps.waivers.active(this.clock());
    return new Map(active.map((w) => [waiverKey(w.ref, w.ruleId), w]));
  }

  /** The run closest to a week before `run` (within half a day after, or the newest before). */
  private async previousRun(run: HealthRun): Promise<HealthRun | undefined> {
    const target = run.finishedAt.getTime() - WEEK_MS;
    const [before, near] = await Promise.all([this.deps.runs.runAt(new Date(target)), this.deps.runs.runAt(new Date(target + CLOSEST_WINDOW_MS))]);
    const candidates = [before, near].filter((r): r is HealthRun => r !== null && r.id !== run.id);
    candidates.sort((a, b) => Math.abs(a.finishedAt.getTime() - target) - Math.abs(b.finishedAt.getTime() - target));
    return candidates[0];
  }
}
