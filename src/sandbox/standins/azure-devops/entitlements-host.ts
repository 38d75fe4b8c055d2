/**
 * The organisation's second host: in Azure, user entitlements live on https://vsaex.dev.azure.com/{org}
 * while everything else is on https://dev.azure.com/{org}. Its own server (own port, own request
 * log and faults) over the same state, saved in the same state file as the main host's.
 */
import { StandInServer } from '../standin-server';

export class EntitlementsHost extends StandInServer {
  constructor(
    private readonly main: StandInServer,
    snapshot: () => unknown,
  ) {
    super('azure-devops-vsaex', undefined, snapshot);
  }

  /** A change made here is written where the main host keeps the state. */
  override saveState(): void {
    this.main.saveState();
  }
}
