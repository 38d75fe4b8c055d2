/**
 * `catalog health` (anyone): coverage, the top failing rules, the worst teams and the trend, read
 * from the stored runs; `catalog health <team>` for one team. The run itself is a scheduled job
 * (src/domain/catalog-health/health-schedule.ts), never computed on the chat path.
 */
import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../../cards/render';
import type { Feature } from '../../src/bot/feature';
import type { CatalogHealthReports } from '../../src/domain/catalog-health/health-reports';
import { noRunText, overviewCard, teamCard, unknownTeamText } from './catalog-health.views';

export interface CatalogHealthFeatureDeps {
  reports: CatalogHealthReports;
  /** When the next scheduled run starts. */
  nextRunAt: () => Date;
}

const MAX_TEAM_CHARS = 200;

export function catalogHealthFeature(deps: CatalogHealthFeatureDeps): Feature {
  return {
    name: 'catalog-health',
    commands: [
      {
        name: 'catalog health',
        description: "How far the catalog can be trusted: repositories with a descriptor, live owners, the top failing checks, the worst teams and the trend; or one team's failing checks.",
        examples: ['catalog health', 'catalog health team-payments'],
        patterns: [/^catalog\s+health(?:\s+(?:of|for)?\s*(?<team>\S.*?))?\s*[?.!]*$/i],
        run: async ({ turn, args }) => {
          const team = args.team?.trim().slice(0, MAX_TEAM_CHARS);
          if (!team) {
            const answer = await deps.reports.overview();
            if (answer.kind === 'no-run') return void (await turn.sendActivity(noRunText(answer.nextRunAt)));
            return void (await turn.sendActivity(MessageFactory.attachment(cardAttachment(overviewCard(answer, deps.nextRunAt())))));
          }
          const answer = await deps.reports.team(team);
          if (answer.kind === 'no-run') return void (await turn.sendActivity(noRunText(answer.nextRunAt)));
          if (answer.kind === 'unknown') return void (await turn.sendActivity(unknownTeamText(team, answer.suggestions)));
          await turn.sendActivity(MessageFactory.attachment(cardAttachment(teamCard(answer, deps.nextRunAt()))));
        },
      },
    ],
  };
}
