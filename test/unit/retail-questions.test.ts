/**
 * The hand-written question corpus (retail-questions.ts) over the hand-written retail catalog,
 * end to end below the chat edge: the router's text normalisation (mentions out), the question
 * parser, the matcher and the query service. Not the generated corpus the matcher was tuned on.
 */
import { normalizeText } from '../../src/bot/command-router';
import { parseOwnershipQuestion } from '../../src/domain/catalog/ask-phrases';
import type { CatalogQueryService } from '../../src/domain/catalog/catalog-query.service';
import { retailService } from '../helpers/retail-service';
import { RETAIL_QUESTIONS, type Expected } from '../fixtures/retail-questions';

/** What the bot answered, in the corpus's terms. */
async function outcome(service: CatalogQueryService, text: string): Promise<Expected> {
  const question = parseOwnershipQuestion(normalizeText(text));
  if (!question) return { notAQuestion: true };
  const { intent, answer } = await service.answer(question);
  switch (answer.kind) {
    case 'found':
    case 'team':
    case 'user':
      return { ref: answer.entity.ref, intent };
    case 'owned':
      return { ref: answer.owner.ref, intent };
    case 'ambiguous':
      return { didYouMean: answer.candidates.map((c) => c.ref).sort(), intent };
    case 'none':
      // Suggestions make it a question back too ("I could not find x. Did you mean y?").
      return answer.suggestions.length ? { didYouMean: answer.suggestions.map((c) => c.ref).sort(), intent } : { nothing: true };
  }
}

const normalised = (e: Expected): Expected => ('didYouMean' in e ? { ...e, didYouMean: [...e.didYouMean].sort() } : e);

describe('a hand-written corpus of chat questions about a hand-written catalog', () => {
  it('answers them as a person expects, and never states an entity that was not meant', async () => {
    const { service } = await retailService();
    const failures: string[] = [];
    const wrongFacts: string[] = [];
    for (const [text, expected] of RETAIL_QUESTIONS) {
      const got = await outcome(service, text);
      if (JSON.stringify(got) === JSON.stringify(normalised(expected))) continue;
      failures.push(`${JSON.stringify(text)}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
      // A stated answer about something else (or about anything, where none or a question back was right).
      if ('ref' in got && !('ref' in expected && expected.ref === got.ref)) wrongFacts.push(text);
    }
    const passed = RETAIL_QUESTIONS.length - failures.length;
    console.log(`hand-written corpus: ${passed}/${RETAIL_QUESTIONS.length} answered as expected (${((passed / RETAIL_QUESTIONS.length) * 100).toFixed(1)}%), ${wrongFacts.length} wrong answers stated${failures.length ? `\n  ${failures.join('\n  ')}` : ''}`);
    expect(RETAIL_QUESTIONS.length).toBeGreaterThanOrEqual(100);
    expect(wrongFacts).toEqual([]);
    expect(failures).toEqual([]);
  });
});
