/**
 * Rules for facts recorded from outside the descriptors, shared by every CatalogStore so they agree:
 * one deployment per environment (the latest), and an on-call recorded by the rota tool winning
 * over the descriptor's annotations without erasing them.
 */
import type { Deployment, OnCall } from './catalog.types';

/** The list with `d` in place of its environment's entry, unless the stored one is newer. Sorted by environment. */
export function withDeployment(current: Deployment[], d: Deployment): Deployment[] {
  const existing = current.find((c) => c.environment === d.environment);
  if (existing && new Date(existing.deployedAt).getTime() > d.deployedAt.getTime()) return current;
  return [...current.filter((c) => c.environment !== d.environment), d].sort((a, b) => a.environment.localeCompare(b.environment));
}

/** What the entity shows: the recorded on-call over the descriptor's; rotation/escalation fall back when not recorded. */
export function effectiveOnCall(fromDescriptor: OnCall | undefined, recorded: OnCall | undefined): OnCall | undefined {
  if (!recorded) return fromDescriptor;
  const rotation = recorded.rotation ?? fromDescriptor?.rotation;
  const current = recorded.current ?? fromDescriptor?.current;
  return {
    ...(rotation ? { rotation } : {}),
    ...(current ? { current } : {}),
    escalation: recorded.escalation.length ? recorded.escalation : (fromDescriptor?.escalation ?? []),
    ...(recorded.updatedAt ? { updatedAt: recorded.updatedAt } : {}),
  };
}
