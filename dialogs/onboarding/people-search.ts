/**
 * The form's type-ahead pickers: Teams sends `application/search` with what was typed and the
 * picker's dataset; people come from the directory (the UPN is the value the form submits), teams
 * from the catalog's Groups (their name).
 */
import { z } from 'zod';
import { PEOPLE_DATASET, TEAMS_DATASET } from '../../cards/onboarding-form.card';
import type { InvokeRoute } from '../../src/bot/invoke-router';
import type { Directory } from '../../src/domain/access/directory.port';
import { DomainError } from '../../src/domain/domain-error';

const MAX_RESULTS = 15;
const query = z.object({
  queryText: z.string().max(200).default(''),
  dataset: z.string().max(100),
  queryOptions: z.object({ top: z.number().int().min(1).max(100).optional(), skip: z.number().int().min(0).optional() }).partial().optional(),
});

export const SEARCH_RESPONSE_TYPE = 'application/vnd.microsoft.search.searchResponse';

export interface PickerSources {
  directory: Pick<Directory, 'searchUsers'>;
  /** Catalog Groups matching the text: name (the value) and title. */
  searchTeams(text: string, limit: number): { name: string; title: string }[];
}

export function pickerSearchInvoke(sources: PickerSources): InvokeRoute {
  return {
    name: 'application/search',
    changesState: false,
    run: async ({ value }) => {
      const parsed = query.safeParse(value);
      if (!parsed.success) throw new DomainError('INVOKE.INVALID', 'malformed application/search', { problem: parsed.error.issues[0]?.message ?? 'malformed' });
      const text = parsed.data.queryText.trim();
      const top = Math.min(parsed.data.queryOptions?.top ?? MAX_RESULTS, MAX_RESULTS);
      let results: { title: string; value: string }[];
      if (parsed.data.dataset === PEOPLE_DATASET) {
        const users = text ? await sources.directory.searchUsers(text, top) : [];
        results = users.map((u) => ({ title: `${u.displayName} (${u.userPrincipalName})${u.accountEnabled ? '' : ', disabled'}`, value: u.userPrincipalName }));
      } else if (parsed.data.dataset === TEAMS_DATASET) {
        results = (text ? sources.searchTeams(text, top) : []).map((t) => ({ title: t.title === t.name ? t.name : `${t.title} (${t.name})`, value: t.name }));
      } else {
        throw new DomainError('INVOKE.INVALID', 'unknown dataset', { problem: `no dataset "${parsed.data.dataset.slice(0, 60)}"` });
      }
      return { statusCode: 200, type: SEARCH_RESPONSE_TYPE, value: { results } };
    },
  };
}
