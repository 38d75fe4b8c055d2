/**
 * Expiry reminders: the scheduled run lists every vault's secrets (names and properties only) and
 * sends the owning team a card for each one expiring within a threshold (its Teams channel, else
 * its members 1:1), ONCE per (version, expiry, threshold): a replica claims the reminder in the
 * shared store before sending, so two replicas (or a re-run after a crash) never both send it.
 * The card's buttons act here, under the create flow's rules, decided again at every click (the
 * owning team's members or platform groups), audited: Extend (a new expiry on the latest version
 * and its `expires` tag), Snooze (no reminder until the next threshold) and Rotate (handed to the
 * rotation flow). No value is ever read.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, TeamAccessPolicy } from '../access/team-access.policy';
import type { AuditLog } from '../audit/audit.port';
import type { DigestRecipientResolver } from '../catalog-digest/digest-recipients';
import type { CatalogStore } from '../catalog/catalog-store.port';
import type { CatalogEntity } from '../catalog/catalog.types';
import { isConversationGone, type StoredConversation } from '../conversations/conversations.types';
import { DomainError } from '../domain-error';
import type { Job } from '../jobs/jobs.types';
import type { ExpiryReminderKey, ExpiryReminderStore } from './expiry-reminder-store.port';
import { DAY_MS, daysLeft, nextThreshold, normalizeThresholds, thresholdFor } from './expiry-thresholds';
import { parseExpiry } from './secret-request';
import type { SecretProperties, SecretStore } from './secret-store.port';

/** A vault the run lists: its URL, its configured name (what cards and buttons say) and environment. */
export interface ExpiryVault {
  env: string;
  url: string;
  name: string;
}

/** The service a secret belongs to: by its `service` tag, else by the name's prefix (the convention's {service}). */
export interface SecretServiceLookup {
  byService(name: string): Promise<CatalogEntity | null>;
  byPrefix(prefix: string): Promise<CatalogEntity | null>;
}

/** What a reminder card shows. Never a value. */
export interface SecretExpiry {
  vault: string;
  env: string;
  name: string;
  version: string;
  service?: string;
  owner?: { ref: string; name: string };
  expiresOn: Date;
  daysLeft: number;
  /** The bucket the secret is in now (a threshold in days, EXPIRED, or null when further away than every threshold). */
  threshold: number | null;
  createdBy?: string;
  createdOn?: Date;
  snoozed?: { by: string; until: number };
}

/** Sends a reminder card to one conversation (the chat edge renders it); the message id. */
export interface ExpiryReminderPublisher {
  publish(to: StoredConversation, reminder: SecretExpiry): Promise<string | undefined>;
}

/** The rotation flow's entry point (built by the rotation part): a new version of `name`, as `actor`; the job when one started. */
export type RotateSecret = (name: string, actor: Actor) => Promise<Job | void>;

export interface ExpiryLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface SecretExpiryDeps {
  store: Pick<SecretStore, 'listSecrets' | 'getProperties' | 'updateProperties'>;
  vaults: () => Promise<ExpiryVault[]>;
  services: SecretServiceLookup;
  catalog: Pick<CatalogStore, 'get'>;
  policy: Pick<TeamAccessPolicy, 'canActFor'>;
  recipients: Pick<DigestRecipientResolver, 'resolve' | 'members' | 'forget'>;
  reminders: ExpiryReminderStore;
  publisher: ExpiryReminderPublisher;
  audit: AuditLog;
  /** Days; default 30, 7, 1. */
  thresholds?: readonly number[];
  /** `{service}--{env}--{name}`: how the service prefix is read back from a name without a `service` tag. */
  convention: string;
  rotate?: RotateSecret;
  logger?: ExpiryLogger;
  clock?: () => Date;
}

export interface ExpiryTotals {
  vaults: number;
  secrets: number;
  /** Secrets inside a threshold. */
  due: number;
  sent: number;
  /** Already sent, snoozed, or being sent by another replica. */
  skipped: number;
  /** No owning team, or nobody in it the bot can reach (tried again next run). */
  unroutable: number;
  failed: number;
}

/** Which reminder a button is about (from the card; checked against the vault again). */
export interface ExpiryRef {
  vault: string;
  name: string;
  version: string;
}

export type ExtendTo = { days: number } | { date: string };

/** A claim older than this was left by a replica that died before sending: taken over. */
const CLAIM_STALE_MS = 15 * 60_000;
export const EXTEND_DAYS = 90;

export class SecretExpiryService {
  private readonly thresholds: number[];
  private readonly clock: () => Date;
  private readonly log: ExpiryLogger;

  constructor(private readonly deps: SecretExpiryDeps) {
    this.thresholds = normalizeThresholds(deps.thresholds ?? []);
    this.clock = deps.clock ?? (() => new Date());
    this.log = deps.logger ?? { info: () => undefined, warn: () => undefined };
  }

  get rotationAvailable(): boolean {
    return Boolean(this.deps.rotate);
  }

  /** One run of the scheduled job; idempotent (claims in the shared store). Throws when some reminder failed, after trying every other. */
  async runOccurrence(occurrence: string, signal?: AbortSignal): Promise<ExpiryTotals> {
    const totals: ExpiryTotals = { vaults: 0, secrets: 0, due: 0, sent: 0, skipped: 0, unroutable: 0, failed: 0 };
    const now = this.clock();
    for (const vault of await this.deps.vaults()) {
      if (signal?.aborted) break;
      let secrets: SecretProperties[];
      try {
        secrets = await this.deps.store.listSecrets(vault.url);
        totals.vaults++;
      } catch (err) {
        totals.failed++;
        this.log.warn({ err, occurrence, vault: vault.name }, 'secret expiry: the vault could not be listed; the next run tries again');
        continue;
      }
      for (const secret of secrets) {
        if (signal?.aborted) break;
        totals.secrets++;
        if (!secret.enabled || !secret.expiresOn) continue;
        const threshold = thresholdFor(secret.expiresOn, now, this.thresholds);
        if (threshold === null) continue;
        totals.due++;
        try {
          await this.remind(occurrence, vault, secret, threshold, now, totals);
        } catch (err) {
          totals.failed++;
          this.log.warn({ err, occurrence, vault: vault.name, secret: secret.name }, 'secret expiry: reminder not sent; the next run tries again');
        }
      }
    }
    this.log.info({ occurrence, ...totals }, 'secret expiry totals');
    if (totals.failed) throw new DomainError('SECRETS.EXPIRY_REMINDERS_FAILED', `${totals.failed} expiry reminder(s) or vault listing(s) of ${occurrence} failed`, { failed: totals.failed });
    return totals;
  }

  /**
   * A new expiry for the latest version: `days` after the expiry the card showed (from today when
   * that has passed), or a date. Worked out from the card's data, so a double click sets the same
   * date twice, not twice as far. Refused when a newer version exists (rotated since the card).
   */
  async extend(actor: Actor, ref: ExpiryRef, to: ExtendTo, shownExpiry: string | undefined): Promise<SecretExpiry> {
    const { vault, secret, service } = await this.authorized(actor, ref, 'secret.expiry.extend');
    const now = this.clock();
    const target = this.extendTarget(to, shownExpiry ? new Date(shownExpiry) : secret.expiresOn, now);
    const date = target.toISOString().slice(0, 10);
    const updated = await this.deps.store.updateProperties(vault.url, secret.name, secret.version, { expiresOn: target, tags: { ...secret.tags, expires: date } });
    await this.audit(actor, 'secret.expiry.extend', vault, secret, 'success', { from: secret.expiresOn?.toISOString() ?? null, to: target.toISOString() });
    return this.describe(vault, updated, service);
  }

  /** No reminder for this secret until its next threshold (the one after the bucket it is in now). */
  async snooze(actor: Actor, ref: ExpiryRef): Promise<SecretExpiry> {
    const { vault, secret, service } = await this.authorized(actor, ref, 'secret.expiry.snooze');
    const now = this.clock();
    const threshold = secret.expiresOn ? thresholdFor(secret.expiresOn, now, this.thresholds) : null;
    if (!secret.expiresOn || threshold === null) throw new DomainError('SECRETS.EXPIRY_NOT_DUE', `${secret.name} is not within a reminder threshold`, { name: secret.name });
    await this.deps.reminders.snooze(this.keyOf(vault, secret, threshold), { id: actor.id, name: actor.name }, now);
    const until = nextThreshold(threshold, this.thresholds);
    await this.audit(actor, 'secret.expiry.snooze', vault, secret, 'success', { threshold, until });
    return { ...this.describe(vault, secret, service), snoozed: { by: actor.name, until } };
  }

  /** Hands the secret to the rotation flow (which checks and audits its own steps). */
  async rotate(actor: Actor, ref: ExpiryRef): Promise<Job | void> {
    if (!this.deps.rotate) throw new DomainError('SECRETS.ROTATION_UNAVAILABLE', 'no rotation flow is wired', { name: ref.name });
    const { vault, secret } = await this.authorized(actor, ref, 'secret.expiry.rotate');
    await this.audit(actor, 'secret.expiry.rotate', vault, secret, 'success', {});
    return this.deps.rotate(secret.name, actor);
  }

  private extendTarget(to: ExtendTo, shown: Date | undefined, now: Date): Date {
    if ('days' in to) {
      // From the shown expiry while it is ahead; else from the start of today (UTC): the same target for every click of one card on one day.
      const base = shown && shown.getTime() > now.getTime() ? shown.getTime() : Math.floor(now.getTime() / DAY_MS) * DAY_MS;
      return new Date(base + to.days * DAY_MS);
    }
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(to.date.trim()) ? parseExpiry(to.date, now) : { ok: false as const, reason: `"${to.date.slice(0, 40)}" is not a date (YYYY-MM-DD)` };
    if (!parsed.ok) throw new DomainError('SECRETS.EXPIRY_INVALID', `extend: ${parsed.reason}`, { reason: parsed.reason });
    if (parsed.at.getTime() <= now.getTime()) throw new DomainError('SECRETS.EXPIRY_INVALID', 'extend: a date in the past', { reason: `${to.date} is not in the future` });
    return parsed.at;
  }

  private async remind(occurrence: string, vault: ExpiryVault, secret: SecretProperties, threshold: number, now: Date, totals: ExpiryTotals): Promise<void> {
    const key = this.keyOf(vault, secret, threshold);
    const owner = `${occurrence}:${randomUUID()}`;
    if (!(await this.deps.reminders.claim(key, owner, now, new Date(now.getTime() - CLAIM_STALE_MS)))) {
      totals.skipped++;
      return;
    }
    try {
      const service = await this.serviceOf(secret);
      const team = service?.owner ? await this.deps.catalog.get(service.owner) : null;
      const reminder = this.describe(vault, secret, service, team);
      const sentTo = team?.kind === 'Group' ? await this.send(team, reminder) : [];
      if (!sentTo.length) {
        totals.unroutable++;
        this.log.warn({ occurrence, vault: vault.name, secret: secret.name, service: service?.name ?? null, team: team?.ref ?? null }, 'secret expiry: no owning team to remind, or nobody in it the bot can reach; tried again next run');
        await this.deps.reminders.release(key, owner);
        return;
      }
      await this.deps.reminders.markSent(key, owner, { conversationIds: sentTo, at: this.clock() });
      totals.sent++;
      await this.deps.audit.record({ actor: 'scheduler', action: 'secret.expiry.remind', target: `secret:${vault.name}/${secret.name}`, result: 'success', details: { version: secret.version, threshold, expiresOn: key.expiresOn, team: team!.ref, conversations: sentTo.length } });
    } catch (err) {
      await this.deps.reminders.release(key, owner).catch(() => undefined);
      throw err;
    }
  }

  /**
   * The team's channel (the first of those DigestRecipientResolver lists that Teams takes; one it
   * refuses for good is forgotten), else its members 1:1. The conversations that got the card.
   */
  private async send(team: CatalogEntity, reminder: SecretExpiry): Promise<string[]> {
    const resolved = await this.deps.recipients.resolve(team);
    if (resolved.via === 'channel') {
      for (const channel of resolved.conversations) {
        try {
          await this.deps.publisher.publish(channel, reminder);
          return [channel.conversationId];
        } catch (err) {
          if (!isConversationGone(err)) throw err;
          await this.deps.recipients.forget(channel);
        }
      }
    }
    const members = resolved.via === 'channel' ? await this.deps.recipients.members(team) : resolved;
    if (members.via === 'nobody') return [];
    const sent: string[] = [];
    for (const chat of members.conversations) {
      try {
        await this.deps.publisher.publish(chat, reminder);
        sent.push(chat.conversationId);
      } catch (err) {
        if (!isConversationGone(err)) throw err;
      }
    }
    return sent;
  }

  private keyOf(vault: ExpiryVault, secret: SecretProperties, threshold: number): ExpiryReminderKey {
    return { vault: vault.name, name: secret.name, version: secret.version, expiresOn: secret.expiresOn!.toISOString(), threshold };
  }

  private async vaultNamed(name: string): Promise<ExpiryVault> {
    const vault = (await this.deps.vaults()).find((v) => v.name.toLowerCase() === name.toLowerCase());
    if (!vault) throw new DomainError('SECRETS.VAULT_UNKNOWN', `no configured vault ${name}`, { vault: name });
    return vault;
  }

  private async latest(vault: ExpiryVault, name: string): Promise<SecretProperties> {
    const secret = await this.deps.store.getProperties(vault.url, name);
    if (!secret) throw new DomainError('SECRETS.NOT_FOUND', `${name} is not in ${vault.name}`, { vault: vault.name, name });
    return secret;
  }

  /** The latest version, if the actor may act for its service's owning team; refusals audited. */
  private async authorized(actor: Actor, ref: ExpiryRef, action: string): Promise<{ vault: ExpiryVault; secret: SecretProperties; service: CatalogEntity | null }> {
    const vault = await this.vaultNamed(ref.vault);
    const secret = await this.latest(vault, ref.name);
    const service = await this.serviceOf(secret);
    const team = service?.owner ? await this.deps.catalog.get(service.owner) : null;
    if (!service || !team || team.kind !== 'Group') throw new DomainError('SECRETS.NO_OWNER', `${secret.name} has no owning team`, { service: service?.name ?? secret.name });
    const decision = await this.deps.policy.canActFor(actor, team);
    if (!decision.allowed) {
      await this.audit(actor, action, vault, secret, 'denied', { reason: decision.reason });
      throw new DomainError('SECRETS.EXPIRY_NOT_ALLOWED', `${actor.id} may not manage ${secret.name}`, { reason: decision.reason });
    }
    if (secret.version.toLowerCase() !== ref.version.toLowerCase()) throw new DomainError('SECRETS.EXPIRY_STALE', `${secret.name} has a newer version than the reminder's`, { name: secret.name });
    return { vault, secret, service };
  }

  private async serviceOf(secret: SecretProperties): Promise<CatalogEntity | null> {
    const tagged = secret.tags.service?.trim();
    const found = tagged ? await this.deps.services.byService(tagged) : null;
    if (found) return found;
    const prefix = prefixOf(this.deps.convention, secret.name);
    return prefix ? this.deps.services.byPrefix(prefix) : null;
  }

  private describe(vault: ExpiryVault, secret: SecretProperties, service: CatalogEntity | null, team?: CatalogEntity | null): SecretExpiry {
    const now = this.clock();
    const expiresOn = secret.expiresOn ?? new Date(now.getTime());
    const ownerName = team ? (team.profile?.displayName ?? team.title ?? team.name) : secret.tags['owner-team'];
    const ownerRef = team?.ref ?? service?.owner;
    return {
      vault: vault.name,
      env: secret.tags.environment ?? vault.env,
      name: secret.name,
      version: secret.version,
      ...(service ? { service: service.name } : secret.tags.service ? { service: secret.tags.service } : {}),
      ...(ownerRef && ownerName ? { owner: { ref: ownerRef, name: ownerName } } : {}),
      expiresOn,
      daysLeft: daysLeft(expiresOn, now),
      threshold: secret.expiresOn ? thresholdFor(secret.expiresOn, now, this.thresholds) : null,
      ...(secret.tags['created-by'] ? { createdBy: secret.tags['created-by'] } : {}),
      ...(secret.createdOn ? { createdOn: secret.createdOn } : {}),
    };
  }

  private audit(actor: Actor, action: string, vault: ExpiryVault, secret: SecretProperties, result: 'success' | 'denied' | 'failure', details: Record<string, unknown>): Promise<void> {
    return this.deps.audit.record({ actor: actor.id, actorName: actor.name, action, target: `secret:${vault.name}/${secret.name}`, result, details: { vault: vault.name, name: secret.name, version: secret.version, ...details } });
  }
}

/** The convention's {service} part of a stored name (payments-api--dev--db-password -> payments-api), or null. */
export function prefixOf(convention: string, name: string): string | null {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = esc(convention)
    .replace(esc('{service}'), '(?<service>[0-9A-Za-z-]+?)')
    .replace(esc('{env}'), '[0-9A-Za-z]+')
    .replace(esc('{name}'), '[0-9A-Za-z-]+');
  const m = new RegExp(`^${pattern}$`).exec(name);
  return m?.groups?.service ?? null;
}
