// The Bot Connector's signing key must endorse the channel of the activity its token came with:
// every published channel id requires an endorsement by default, and "If the endorsement isn't
// present, your bot should reject the request by returning an HTTP 403 (Forbidden) status code."
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot-step-3
// botframework-connector checks the endorsements only of a key that lists some: a key of the
// channel's key set listing none (no property, or an empty list) was taken for any channel, Teams
// included. So a channel token (issued by the Bot Connector) is taken only when the key the library
// verified it with lists the activity's channel id. Tokens of the Emulator path are signed with
// Entra's keys, which carry no endorsements; that path is judged by adapter.ts.

import { AuthenticationError, ClaimsIdentity } from 'botframework-connector';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';

/** The library's private state read here (botframework-connector 4.23). */
interface ChannelSettings {
  readonly toBotFromChannelTokenIssuer?: unknown;
  readonly toBotFromChannelOpenIdMetadataUrl?: unknown;
}
interface KeyCache {
  readonly openIdMetadataCache?: Map<string, { keys?: unknown }>;
}

export class ChannelKeyEndorsements {
  private readonly issuer: unknown;
  private readonly metadataUrl: unknown;

  /** `inner`: the ParameterizedBotFrameworkAuthentication that verifies the tokens. */
  constructor(inner: unknown) {
    const settings = inner as ChannelSettings | null;
    const cache = (JwtTokenExtractor as unknown as KeyCache).openIdMetadataCache;
    if (
      typeof settings !== 'object' ||
      settings === null ||
      !('toBotFromChannelTokenIssuer' in settings) ||
      !('toBotFromChannelOpenIdMetadataUrl' in settings) ||
      !(cache instanceof Map)
    ) {
      // A library version that keeps these elsewhere: fail at start, never take unendorsed keys.
      throw new Error(
        'botframework-connector no longer exposes its channel key settings; check key endorsements anew.',
      );
    }
    this.issuer = settings.toBotFromChannelTokenIssuer;
    this.metadataUrl = settings.toBotFromChannelOpenIdMetadataUrl;
  }

  /** Throws 403 when a verified channel token's signing key does not endorse `channelId`. */
  refuseUnendorsed(authHeader: string, channelId: unknown, identity: ClaimsIdentity): void {
    // Not a channel token (the Emulator path's issuers are Entra's): nothing to look up.
    if (typeof this.issuer !== 'string' || identity.getClaimValue('iss') !== this.issuer) return;
    // No channel id at all: the envelope check that follows refuses it (400), saying what is missing.
    if (typeof channelId !== 'string' || channelId.trim() === '') return;
    if (this.endorsementsOf(kidOf(authHeader))?.includes(channelId)) return;
    throw new AuthenticationError("Forbidden. The channel's signing key does not endorse the activity's channel.", 403);
  }

  /** The endorsements of the key the library found for `kid` (its first with that id), or null. */
  private endorsementsOf(kid: unknown): readonly unknown[] | null {
    if (typeof kid !== 'string' || typeof this.metadataUrl !== 'string') return null;
    const cache = (JwtTokenExtractor as unknown as KeyCache).openIdMetadataCache;
    const keys = cache?.get(this.metadataUrl)?.keys;
    if (!Array.isArray(keys)) return null;
    const key = (keys as Array<{ kid?: unknown; endorsements?: unknown } | null>).find((k) => k?.kid === kid);
    return Array.isArray(key?.endorsements) ? key.endorsements : null;
  }
}

/** The `kid` of the bearer token's header, as the library read it ("Bearer <token>"). */
function kidOf(authHeader: string): unknown {
  const token = authHeader.split(' ')[1] ?? '';
  try {
    const header: unknown = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    return (header as { kid?: unknown } | null)?.kid;
  } catch {
    return undefined;
  }
}
