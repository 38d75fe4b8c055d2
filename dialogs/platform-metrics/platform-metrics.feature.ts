/**
 * `platform metrics` (platform groups only): the figures the platform team shows its leadership,
 * over the last 28 days or a chosen period (`platform metrics last 90 days`, `period=30d`).
 * Default deny: the membership is checked first, and nothing is computed for anyone else.
 */
import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../../cards/render';
import type { Feature } from '../../src/bot/feature';
import { verifiedActor } from '../../src/bot/identity';
import type { PlatformAccessPolicy } from '../../src/domain/access/platform-access.policy';
import { DomainError } from '../../src/domain/domain-error';
import type { PlatformMetricsService } from '../../src/domain/platform-metrics/platform-metrics.service';
import { DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS } from '../../src/domain/platform-metrics/platform-metrics.types';
import { platformMetricsCard } from './platform-metrics.views';

export interface PlatformMetricsFeatureDeps {
  metrics: Pick<PlatformMetricsService, 'compute'>;
  access: Pick<PlatformAccessPolicy, 'isPlatformMember'>;
}

/** `last 90 days`, `90 days`, `90d`, `period=30d`, `days=30`, `last 4 weeks`; '' is the default. NaN: not understood. */
export function periodDays(text: string | undefined): number {
  const t = (text ?? '').trim().toLowerCase();
  if (!t) return DEFAULT_PERIOD_DAYS;
  const m = /^(?:(?:for\s+)?(?:the\s+)?last\s+|over\s+(?:the\s+)?(?:last\s+)?|(?:period|days)\s*=\s*)?(\d{1,4})\s*(d|days?|w|weeks?)?$/.exec(t);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2]?.startsWith('w') ? n * 7 : n;
}

export function platformMetricsFeature(deps: PlatformMetricsFeatureDeps): Feature {
  return {
    name: 'platform-metrics',
    commands: [
      {
        name: 'platform metrics',
        description: `For the platform team: time to first commit, lead times per flow (approval wait apart), onboarding lead time, catalog coverage, requests per week, failure and retry rates; the last ${DEFAULT_PERIOD_DAYS} days or a period you name.`,
        examples: ['platform metrics', 'platform metrics last 90 days', 'platform metrics period=30d'],
        patterns: [/^platform\s+metrics(?:\s+(?<period>.*?))?\s*[?.!]*$/i],
        run: async ({ turn, args }) => {
          let actor;
          try {
            actor = verifiedActor(turn);
          } catch {
            throw new DomainError('METRICS.UNVERIFIED_USER', 'platform metrics asked without an identity the channel vouches for');
          }
          const decision = await deps.access.isPlatformMember(actor);
          if (!decision.allowed) throw new DomainError('METRICS.NOT_PLATFORM', decision.reason, { reason: decision.reason });
          const days = periodDays(args.period);
          if (!Number.isInteger(days) || days < 1 || days > MAX_PERIOD_DAYS) {
            throw new DomainError('METRICS.PERIOD_INVALID', `period "${args.period ?? ''}" not understood`, { days: (args.period ?? '').slice(0, 40), max: MAX_PERIOD_DAYS });
          }
          const metrics = await deps.metrics.compute(days);
          await turn.sendActivity(MessageFactory.attachment(cardAttachment(platformMetricsCard(metrics))));
        },
      },
    ],
  };
}
