/**
 * The digest card's buttons: Fix (a form, then a pull request), Snooze 30 days, Not applicable
 * (a form with the reason). Each answers with the card to show instead: the form, or the digest
 * drawn again from the store with what just happened on top. Refusals (not a member, a check that
 * passes now, an entity that is gone, bad input) are words for the clicker; the card stays.
 */
import { z } from 'zod';
import { CATALOG_DIGEST_VERBS } from '../../cards/catalog-digest.card';
import { CATALOG_FIX_VERBS } from '../../cards/catalog-fix.card';
import { escapeMarkdown, safeLink } from '../../cards/teams-markdown';
import { cardAction, type CardAction, type CardActionContext } from '../../src/bot/card-action-router';
import type { CatalogDigestService } from '../../src/domain/catalog-digest/digest.service';
import type { ActionContext, CheckRef, HealthActionsService } from '../../src/domain/catalog-digest/health-actions.service';
import type { RuleInfoLookup } from '../../src/domain/catalog-digest/rule-presentation';
import { HEALTH_RULE_IDS } from '../../src/domain/catalog-health/health.types';
import { byHandCard, digestCard, entityLabel, fixFormCard, notApplicableCard, type DigestStatus } from './catalog-digest.views';

export interface CatalogDigestFeatureDeps {
  digest: Pick<CatalogDigestService, 'teamDigest'>;
  actions: HealthActionsService;
  rules: RuleInfoLookup;
  linkHosts: readonly string[];
}

const id = z.string().min(1).max(300);
const check = z.object({ team: id, ref: id, rule: z.enum(HEALTH_RULE_IDS) });
/** Inputs arrive merged into the button's data; the service checks them and says what is wrong. */
const withValue = check.extend({ value: z.string().max(5000).optional() });
const withReason = check.extend({ reason: z.string().max(5000).optional() });

const who = (c: CardActionContext<unknown>): ActionContext => ({ actor: { id: c.actor.id, name: c.actor.name }, ...(c.turn.activity.id ? { activityId: c.turn.activity.id } : {}) });
const checkOf = (d: z.infer<typeof check>): CheckRef => ({ team: d.team, ref: d.ref, ruleId: d.rule });

export function catalogDigestCardActions(deps: CatalogDigestFeatureDeps): CardAction[] {
  /** The digest again, from the latest health run as the store has it now (the waiver just set hides its check). */
  const redraw = async (team: string, status?: DigestStatus) => {
    const digest = await deps.digest.teamDigest(team);
    if (!digest) return { message: `${status ? `${status.text} ` : ''}The latest health run has nothing for this team any more.` };
    return { card: digestCard(digest, deps.linkHosts, status) };
  };
  const form = (d: z.infer<typeof check>, prepared: { entity: Parameters<typeof fixFormCard>[0]['entity']; finding: Parameters<typeof fixFormCard>[0]['finding'] }) => ({
    team: d.team,
    entity: prepared.entity,
    finding: prepared.finding,
    rule: deps.rules(d.rule),
  });

  return [
    cardAction({
      verb: CATALOG_DIGEST_VERBS.show,
      data: z.object({ team: id }),
      changesState: false,
      run: ({ data }) => redraw(data.team),
    }),
    cardAction({
      verb: CATALOG_DIGEST_VERBS.fix,
      data: check,
      changesState: true,
      run: async (c) => {
        const prepared = await deps.actions.prepareFix(who(c), checkOf(c.data));
        return { card: fixFormCard(form(c.data, prepared), prepared.fix) };
      },
    }),
    cardAction({
      verb: CATALOG_FIX_VERBS.submitFix,
      data: withValue,
      changesState: true,
      run: async (c) => {
        const outcome = await deps.actions.fix(who(c), checkOf(c.data), c.data.value);
        if (outcome.kind === 'by-hand') {
          const prepared = await deps.actions.prepareFix(who(c), checkOf(c.data));
          return { card: byHandCard(form(c.data, prepared), outcome.location, outcome.snippet) };
        }
        const pr = safeLink(`#${outcome.record.pullRequestId}`, outcome.record.url, deps.linkHosts);
        const what = `${escapeMarkdown(entityLabel(c.data.ref))} · ${escapeMarkdown(deps.rules(c.data.rule).title)}`;
        return redraw(c.data.team, { text: `✅ Pull request ${pr} ${outcome.created ? 'opened' : 'updated'} for ${what}. The check passes once it is merged and imported.`, color: 'Good' });
      },
    }),
    cardAction({
      verb: CATALOG_DIGEST_VERBS.snooze,
      data: check,
      changesState: true,
      run: async (c) => {
        const waiver = await deps.actions.snooze(who(c), checkOf(c.data));
        const until = waiver.until!.toISOString().slice(0, 10);
        return redraw(c.data.team, { text: `😴 ${escapeMarkdown(entityLabel(c.data.ref))} · ${escapeMarkdown(deps.rules(c.data.rule).title)} snoozed until ${until} by ${escapeMarkdown(c.actor.name)}.`, color: 'Default' });
      },
    }),
    cardAction({
      verb: CATALOG_DIGEST_VERBS.notApplicable,
      data: check,
      changesState: true,
      run: async (c) => {
        const prepared = await deps.actions.prepareWaiver(who(c), checkOf(c.data));
        return { card: notApplicableCard(form(c.data, prepared)) };
      },
    }),
    cardAction({
      verb: CATALOG_FIX_VERBS.submitNotApplicable,
      data: withReason,
      changesState: true,
      run: async (c) => {
        await deps.actions.notApplicable(who(c), checkOf(c.data), c.data.reason);
        return redraw(c.data.team, { text: `🚫 ${escapeMarkdown(entityLabel(c.data.ref))} · ${escapeMarkdown(deps.rules(c.data.rule).title)} marked not applicable by ${escapeMarkdown(c.actor.name)}.`, color: 'Default' });
      },
    }),
  ];
}
