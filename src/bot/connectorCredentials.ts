// The bot's own credentials for the Bot Connector, built once per audience instead of once per
// turn. botbuilder's factory makes new credentials for every connector client and user-token
// client, that is twice per turn; with a managed identity each one builds a whole
// DefaultAzureCredential chain (environment, workload identity, managed identity, developer tools),
// whose unavailable members construct errors with stack traces. The credentials themselves keep
// no per-request state, and their tokens live in a process-wide cache either way, so one object
// per (app id, audience, login endpoint) serves every turn.

import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { ServiceClientCredentials, ServiceClientCredentialsFactory } from 'botframework-connector';

type Inner = Pick<ServiceClientCredentialsFactory, 'isValidAppId' | 'isAuthenticationDisabled' | 'createCredentials'>;

export class CachedCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly cache = new Map<string, ServiceClientCredentials>();

  constructor(
    private readonly inner: Inner,
    /** Audiences are few (the channel's scope, maybe a skill's); this only guards against misuse. */
    private readonly maxEntries = 64,
  ) {
    super();
  }

  /** The factory botbuilder would build from the same settings, behind the cache. */
  static fromConfiguration(
    options: ConstructorParameters<typeof ConfigurationServiceClientCredentialFactory>[0],
  ): CachedCredentialsFactory {
    return new CachedCredentialsFactory(new ConfigurationServiceClientCredentialFactory(options));
  }

  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }

  async createCredentials(
    appId: string,
    audience: string | undefined,
    loginEndpoint: string,
    validateAuthority: boolean,
  ): Promise<ServiceClientCredentials> {
    const key = JSON.stringify([appId, audience ?? null, loginEndpoint, validateAuthority]);
    const known = this.cache.get(key);
    if (known) return known;
    // A refusal (an app id that is not ours) throws here and is never cached.
    const made = await this.inner.createCredentials(appId, audience, loginEndpoint, validateAuthority);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, made);
    return made;
  }
}
