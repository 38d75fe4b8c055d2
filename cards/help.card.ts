import template from './help.card.json';
import { renderTemplate, type AdaptiveCard } from './render';

export interface HelpCardData {
  intro: string;
  commands: { name: string; description: string; examples: string[] }[];
  /** Quick buttons (one or two) that post a command as if typed. */
  actions: { title: string; text: string }[];
}

export const renderHelpCard = (data: HelpCardData): AdaptiveCard => renderTemplate(template, data);
