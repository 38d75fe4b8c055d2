/** Every Action.Execute verb a card can send: the bot's own and every feature's card actions. */
import { SHOW_HELP_VERB } from '../../cards/welcome.card';
import { demoFeatures } from './demo-features';

export const allCardVerbs = (): string[] => [SHOW_HELP_VERB, ...demoFeatures().flatMap((f) => (f.cardActions ?? []).map((a) => a.verb))];
