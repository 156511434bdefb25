// Inbound Bot Framework tokens verified once per channel and service URL, not on every activity.
// The Bot Connector sends the same bearer token with every activity until it renews it, and
// verifying it (the RS256 signature, issuer, audience and lifetime, the signing key's endorsement
// of the activity's channel, the token's serviceurl claim against the activity's) is about a fifth
// of a command turn's CPU (npm run bench:profile). A verified token is taken from here only:
// - with the same channel id and service URL it was verified with, the two checks that depend on
//   the activity;
// - before its expiry (exp), and at most MAX_REUSE_MS after it was verified, so a token is checked
//   against the channel's current signing keys again at least that often;
// - never after a refusal: nothing refused is kept, so a bad token is verified, and refused, every
//   time.
// The key is a SHA-256 digest of the Authorization header, so the process keeps no bearer token.

import { createHash } from 'node:crypto';

/** How long a verified token is taken without verifying it again (its expiry permitting). */
export const MAX_REUSE_MS = 10 * 60_000;

interface Entry<Result> {
  readonly result: Result;
  readonly until: number;
}

export class VerifiedTokens<Result> {
  private readonly entries = new Map<string, Entry<Result>>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Distinct tokens in use at once are few (one per channel service); the bound guards memory. */
    private readonly maxEntries = 1_000,
  ) {}

  /** What verifying this header for this channel and service URL gave, while it still holds. */
  get(authHeader: string, channelId: string | undefined, serviceUrl: string | undefined): Result | null {
    const key = keyOf(authHeader, channelId, serviceUrl);
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (this.now() < entry.until) return entry.result;
    this.entries.delete(key);
    return null;
  }

  /** Keeps a verification that succeeded, until `expiresAtMs` (the token's exp) or MAX_REUSE_MS. */
  remember(
    authHeader: string,
    channelId: string | undefined,
    serviceUrl: string | undefined,
    expiresAtMs: number,
    result: Result,
  ): void {
    const until = Math.min(expiresAtMs, this.now() + MAX_REUSE_MS);
    if (!authHeader || !(until > this.now())) return;
    const key = keyOf(authHeader, channelId, serviceUrl);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { result, until });
  }
}

function keyOf(authHeader: string, channelId: string | undefined, serviceUrl: string | undefined): string {
  const digest = createHash('sha256').update(authHeader).digest('base64');
  return JSON.stringify([digest, channelId ?? null, serviceUrl ?? null]);
}
