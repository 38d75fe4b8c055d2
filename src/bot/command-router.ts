import { distance } from 'fastest-levenshtein';
import type { TurnContext } from 'botbuilder';

export interface CommandInvocation {
  turn: TurnContext;
  /** The message text with mentions stripped and whitespace collapsed. */
  text: string;
  /** Named parts of the match (regex groups, or what `parse` returned). */
  args: Record<string, string | undefined>;
}

export type CommandOutcome = void | { beginDialog: string; options?: object } | { cancelDialogs: true };

/** One row of the command table: how it matches, what it is for, and what runs. */
export interface CommandRoute {
  name: string;
  description: string;
  /** Shown in the help card and used for "did you mean". */
  examples: string[];
  /** Regular expressions (named groups become args)... */
  patterns?: RegExp[];
  /** ...or a parser for phrasings a regex describes badly (null = not this command). */
  parse?: (text: string) => Record<string, string | undefined> | null;
  /**
   * false: inside a dialog this text is an answer, not a command ("search results are slow" typed
   * as feedback). Default true: the command interrupts (help, cancel, who owns...).
   */
  interruptsDialogs?: boolean;
  /** True: refused unless the sender's identity is one the channel vouches for (create, confirm...). */
  changesState?: boolean;
  /** Runs the command now, or asks the bot to start (or cancel) a dialog. */
  run: (invocation: CommandInvocation) => Promise<CommandOutcome>;
}

export interface RouteMatch {
  route: CommandRoute;
  args: Record<string, string | undefined>;
}

/** Lower-case, mentions gone, single spaces, no trailing punctuation noise. */
export function normalizeText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export class CommandRouter {
  constructor(readonly routes: readonly CommandRoute[]) {}

  match(text: string): RouteMatch | null {
    for (const route of this.routes) {
      for (const pattern of route.patterns ?? []) {
        const match = pattern.exec(text);
        if (match) return { route, args: { ...match.groups } };
      }
      const parsed = route.parse?.(text);
      if (parsed) return { route, args: parsed };
    }
    return null;
  }

  /** Routes whose name or examples are closest to the text, best first. */
  suggest(text: string, max = 3): CommandRoute[] {
    const input = text.toLowerCase().slice(0, 80);
    const firstWord = input.split(' ')[0] ?? '';
    const scored = this.routes.map((route) => {
      const candidates = [route.name, ...route.examples].map((c) => c.toLowerCase());
      const score = Math.min(
        ...candidates.map((c) => distance(input, c) / Math.max(input.length, c.length, 1)),
        ...route.name.toLowerCase().split(' ').map((w) => distance(firstWord, w) / Math.max(firstWord.length, w.length, 1)),
      );
      return { route, score };
    });
    return scored
      .filter((s) => s.score <= 0.5)
      .sort((a, b) => a.score - b.score)
      .slice(0, max)
      .map((s) => s.route);
  }
}
