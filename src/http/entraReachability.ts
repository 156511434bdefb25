// Readiness of the sign-in side: can this instance reach Microsoft Entra ID's token service for
// the SSO app's tenant? Every on-behalf-of exchange and the intake's key checks need it. The
// tenant's OpenID metadata is read with a deadline, and the answer is kept briefly so that a load
// balancer polling /readyz does not turn into traffic to Entra.
// https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri

export type ReachFetch = (url: string, init: { signal: AbortSignal; redirect: 'error' }) => Promise<Response>;

export interface EntraReachabilityOptions {
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly fetch?: ReachFetch;
  readonly timeoutMs?: number;
  /** How long one answer is reused. */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

export class EntraReachability {
  private last: { at: number; problem: Error | null } | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: EntraReachabilityOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Resolves when Entra answered its metadata; throws (without the URL) when it did not. */
  async check(): Promise<void> {
    const cacheMs = this.opts.cacheMs ?? 30_000;
    if (!this.last || this.now() - this.last.at >= cacheMs) {
      this.last = { at: this.now(), problem: await this.probe() };
    }
    if (this.last.problem) throw this.last.problem;
  }

  private async probe(): Promise<Error | null> {
    const url = `${this.opts.authorityHost}/${encodeURIComponent(this.opts.tenantId)}/v2.0/.well-known/openid-configuration`;
    const fetchFn = this.opts.fetch ?? ((u, init) => fetch(u, init));
    try {
      const res = await fetchFn(url, {
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 3_000),
        redirect: 'error',
      });
      await res.body?.cancel();
      return res.status === 200 ? null : new Error(`Microsoft Entra ID answered ${res.status}`);
    } catch {
      return new Error('Microsoft Entra ID could not be reached');
    }
  }
}
