// One Bot Connector client per (kind, bot app id, service URL, audience) for the life of the
// process, not one per turn (and one user-token client per app id: strictAuthentication.ts). botbuilder's connector factory
// builds a new ConnectorClient for every turn and every proactive send: a core-client pipeline of a
// dozen policies, about a tenth of a millisecond of CPU each time (npm run bench:profile). A client
// holds its base URL, its credentials (already one object per audience: connectorCredentials.ts)
// and that pipeline, and no per-request state; every call carries its own deadline and abort
// signal (deadlineConnectors.ts). Service URLs are few (one per region the tenant's Teams is served from); the
// bound only guards against misuse. What the client is for is part of the key: a proactive client
// and a turn client to the same service URL retry differently (connectorRetry.ts), so a proactive
// send never gets a turn's client, nor a turn a proactive one.

import type { ConnectorKind } from './connectorRetry';

/** What a cached client is for: a connector client of either kind, or a user-token client. */
export type ClientKind = ConnectorKind | 'userToken';

export class ConnectorClients<Client> {
  private readonly clients = new Map<string, Promise<Client>>();

  constructor(private readonly maxEntries = 64) {}

  /** The client of this kind for this app id, service URL and audience; `make` builds it the first time. */
  get(
    kind: ClientKind,
    appId: string | undefined,
    serviceUrl: string,
    audience: string | undefined,
    make: () => Promise<Client>,
  ) {
    const key = JSON.stringify([kind, appId ?? null, serviceUrl, audience ?? null]);
    const known = this.clients.get(key);
    if (known) return known;
    const made = make();
    // A client that could not be built (credentials refused) is not kept: the next call tries again.
    made.catch(() => {
      if (this.clients.get(key) === made) this.clients.delete(key);
    });
    if (this.clients.size >= this.maxEntries) this.clients.delete(this.clients.keys().next().value as string);
    this.clients.set(key, made);
    return made;
  }
}
