/**
 * A flow's whole chat edge, as one value: its commands (with help examples), dialogs, card
 * actions, invoke handlers and the presentation of the jobs it starts. `src/main.ts` lists the
 * features; the bot, the routers and the job notifier take everything from these lists, so a new
 * flow edits no other flow's files.
 */
import type { Dialog } from 'botbuilder-dialogs';
import type { CardAction } from './card-action-router';
import type { CommandRoute } from './command-router';
import type { InvokeRoute } from './invoke-router';
import type { JobPresentation } from './job-presentation';

export interface Feature {
  /** Unique; logs and errors name it. */
  name: string;
  commands?: CommandRoute[];
  dialogs?: Dialog[];
  cardActions?: CardAction[];
  invokes?: InvokeRoute[];
  jobs?: JobPresentation[];
  /** Forms (Action.Submit) whose dialog may have ended: `field` marks their data; `startAgain` is the command to type. */
  forms?: { field: string; startAgain: string }[];
}

/** Fails at start when two features claim the same command, verb, invoke, dialog or job type. */
export function checkFeatures(features: readonly Feature[]): void {
  const seen = new Map<string, string>();
  const claim = (what: string, by: string) => {
    const other = seen.get(what);
    if (other) throw new Error(`${what} is claimed by both the ${other} and the ${by} features`);
    seen.set(what, by);
  };
  for (const f of features) {
    f.commands?.forEach((c) => claim(`command "${c.name}"`, f.name));
    f.dialogs?.forEach((d) => claim(`dialog "${d.id}"`, f.name));
    f.cardActions?.forEach((a) => claim(`card verb "${a.verb}"`, f.name));
    f.invokes?.forEach((i) => claim(`invoke "${i.name}${i.commandId ? `:${i.commandId}` : ''}"`, f.name));
    f.jobs?.forEach((j) => claim(`job type "${j.type}"`, f.name));
  }
}
