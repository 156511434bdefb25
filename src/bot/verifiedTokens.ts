// Inbound Bot Framework tokens verified once per channel and service URL, not on every activity.
// The Bot Connector sends the same bearer token with every activity until it renews it, and
// verifying it (the RS256 signature, issuer, audience and lifetime, the signing key's endorsement
// of the activity's channel, the token's serviceurl claim against the activity's) is about a fifth
// of a command turn's CPU (npm run bench:profile). A verified token is taken from here only:
// - with the same channel id and service URL it was verified with, the two checks that depend on
//   the activity; an activity without either (each a non-empty string) is verified every time, so
//   the library's own handling of a missing value decides, never a kept result;
// - before its expiry (exp: botframework-connector allows five minutes past it, this stops at it),
//   and at most MAX_REUSE_MS after it was verified;
// - never after a refusal: nothing refused is kept, so a bad token is verified, and refused, every
//   time.
// The signing keys themselves are botframework-connector's, kept process-wide for a day (or until
// an unknown key id): a key withdrawn by the channel is honoured that long either way; this adds at
// most MAX_REUSE_MS to it. The library's validateClaims hook is not used (skill claims are refused);
// a hook whose answer changes over time would need its own expiry here.
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
  get(authHeader: string, channelId: unknown, serviceUrl: unknown): Result | null {
    const key = keyOf(authHeader, channelId, serviceUrl);
    if (key === null) return null;
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (this.now() < entry.until) return entry.result;
    this.entries.delete(key);
    return null;
  }

  /** Keeps a verification that succeeded, until `expiresAtMs` (the token's exp) or MAX_REUSE_MS. */
  remember(authHeader: string, channelId: unknown, serviceUrl: unknown, expiresAtMs: number, result: Result): void {
    const until = Math.min(expiresAtMs, this.now() + MAX_REUSE_MS);
    const key = keyOf(authHeader, channelId, serviceUrl);
    if (key === null || !(until > this.now())) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { result, until });
  }
}

const present = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Null when the header, the channel id or the service URL is missing: such an activity is never
 * answered from here. */
function keyOf(authHeader: string, channelId: unknown, serviceUrl: unknown): string | null {
  if (!present(authHeader) || !present(channelId) || !present(serviceUrl)) return null;
  const digest = createHash('sha256').update(authHeader).digest('base64');
  return JSON.stringify([digest, channelId, serviceUrl]);
}
