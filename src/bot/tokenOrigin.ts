// Who issued a verified inbound token, and for which channel, beyond what botframework-connector
// checks (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication):
// - A Bot Connector token: its signing key must endorse the activity's channel. Every published
//   channel id requires an endorsement by default, and "If the endorsement isn't present, your bot
//   should reject the request by returning an HTTP 403 (Forbidden) status code" (#connector-to-bot-step-3).
//   The library checks the endorsements only of a key that lists some: a key of the channel's key
//   set listing none (no property, or an empty list) was taken for any channel, Teams included.
// - An Emulator token (signed with Entra's keys, which carry no endorsements): "The token contains
//   an "issuer" claim with one of the highlighted values" (#emulator-to-bot), the Bot Framework's
//   own tenants. The library also takes the issuers of whatever tenant the token names, so that a
//   single-tenant bot can use the Emulator; that stays for the bot's own tenants only.

import { AuthenticationConstants, AuthenticationError, ClaimsIdentity } from 'botframework-connector';
import { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import { ORIGINAL_EMULATOR_ISSUERS } from './emulatorIssuers';
import { decodedPart, keyCache, refuseForgedToken } from './forgedTokens';

/** The library's private state read here (botframework-connector 4.23). */
interface ChannelSettings {
  readonly toBotFromChannelTokenIssuer?: unknown;
  readonly toBotFromChannelOpenIdMetadataUrl?: unknown;
}

/** A key in the shape of a JWKS entry (RSA, any modulus), to see where the library looks for keys. */
const PROBE = { kty: 'RSA', kid: 'governance-bot-probe', n: 'AQAB', e: 'AQAB', endorsements: ['probe'] };

/** True when `metadata`'s instances find their keys in a `keys` field, the one the endorsement
 * check reads (endorsementsOf). Asked of the library's own lookup (findKey) on a stand-in holding
 * only that field, so a version that keeps its keys elsewhere is refused at start, not by a 403
 * on every channel token once running. */
export function readsKeysField(metadata: unknown): boolean {
  const findKey = (metadata as { prototype?: { findKey?: unknown } } | null)?.prototype?.findKey;
  if (typeof findKey !== 'function') return false;
  try {
    const found: unknown = findKey.call({ keys: [PROBE] }, PROBE.kid);
    const endorsements = (found as { endorsements?: unknown } | null)?.endorsements;
    return Array.isArray(endorsements) && endorsements[0] === PROBE.endorsements[0];
  } catch {
    return false;
  }
}

/** The issuers the library builds for a tenant's Emulator tokens (v1 and v2, public and US Government). */
function tenantIssuers(tenant: string): string[] {
  const c = AuthenticationConstants;
  return [
    `${c.ValidTokenIssuerUrlTemplateV1}${tenant}/`,
    `${c.ValidTokenIssuerUrlTemplateV2}${tenant}/v2.0`,
    `${c.ValidGovernmentTokenIssuerUrlTemplateV1}${tenant}/`,
    `${c.ValidGovernmentTokenIssuerUrlTemplateV2}${tenant}/v2.0`,
  ];
}

export class TokenOrigin {
  private readonly channelIssuer: unknown;
  private readonly metadataUrl: unknown;
  private readonly emulatorIssuers: ReadonlySet<string>;

  /**
   * `auth`: the ConfigurationBotFrameworkAuthentication whose inner ParameterizedBotFrameworkAuthentication
   * verifies the tokens; `tenants`: the bot's own (MicrosoftAppTenantId, and the one it serves),
   * whose Emulator tokens stay welcome; `metadata`: the library's key set class (a stand-in in tests).
   */
  constructor(auth: object, tenants: ReadonlyArray<string | null | undefined>, metadata: unknown = OpenIdMetadata) {
    const settings = (auth as { inner?: unknown }).inner as ChannelSettings | null | undefined;
    if (
      typeof settings !== 'object' ||
      settings === null ||
      !('toBotFromChannelTokenIssuer' in settings) ||
      !('toBotFromChannelOpenIdMetadataUrl' in settings) ||
      !(keyCache() instanceof Map) ||
      !readsKeysField(metadata)
    ) {
      // A library version that keeps these elsewhere: fail at start, never take unendorsed keys.
      throw new Error(
        'botframework-connector no longer exposes its channel key settings; check key endorsements anew.',
      );
    }
    this.channelIssuer = settings.toBotFromChannelTokenIssuer;
    this.metadataUrl = settings.toBotFromChannelOpenIdMetadataUrl;
    const own = tenants.filter((t): t is string => typeof t === 'string' && /^[0-9a-z.-]+$/i.test(t));
    this.emulatorIssuers = new Set([
      ...ORIGINAL_EMULATOR_ISSUERS,
      ...own.flatMap((t) => [...tenantIssuers(t), ...tenantIssuers(t.toLowerCase())]),
    ]);
  }

  /** Before the library verifies a token: throws, so that the library never writes its key to
   * stderr, for one its keys already read cannot make valid (forgedTokens.ts), and for one signed
   * by a channel key whose endorsements name other channels only (403, as `refuse` does for a key
   * listing none; the library would answer 401 and write the key). */
  refuseForged(authHeader: string, channelId: unknown): void {
    if (!refuseForgedToken(authHeader)) return;
    if (typeof channelId !== 'string' || channelId.trim() === '') return;
    // Endorsements judge a channel's token only (its signature is verified by now): an Emulator
    // token is Entra's, whose key the channel's set may also list for other channels.
    if (typeof this.channelIssuer !== 'string' || issuerOf(authHeader) !== this.channelIssuer) return;
    const endorsements = this.endorsementsOf(kidOf(authHeader));
    if (endorsements && endorsements.length > 0 && !endorsements.includes(channelId)) throw notEndorsed();
  }

  /** Throws when a verified token's origin does not vouch for the activity (see above). */
  refuse(authHeader: string, channelId: unknown, identity: ClaimsIdentity): void {
    const issuer: unknown = identity.getClaimValue(AuthenticationConstants.IssuerClaim);
    if (typeof this.channelIssuer !== 'string' || issuer !== this.channelIssuer) {
      // Every token the library verified names its issuer (it checks it on each path).
      if (typeof issuer !== 'string' || this.emulatorIssuers.has(issuer)) return;
      throw new AuthenticationError('Unauthorized. The token was issued by another tenant.', 401);
    }
    // No channel id at all: the envelope check that follows refuses it (400), saying what is missing.
    if (typeof channelId !== 'string' || channelId.trim() === '') return;
    if (this.endorsementsOf(kidOf(authHeader))?.includes(channelId)) return;
    throw notEndorsed();
  }

  /** The endorsements of the key the library found for `kid` (its first with that id), or null. */
  private endorsementsOf(kid: unknown): readonly unknown[] | null {
    if (typeof kid !== 'string' || typeof this.metadataUrl !== 'string') return null;
    const keys = keyCache()?.get(this.metadataUrl)?.keys;
    if (!Array.isArray(keys)) return null;
    const key = (keys as Array<{ kid?: unknown; endorsements?: unknown } | null>).find((k) => k?.kid === kid);
    return Array.isArray(key?.endorsements) ? key.endorsements : null;
  }
}

/** The refusal of a channel token whose signing key does not endorse the activity's channel. */
export const notEndorsed = () =>
  new AuthenticationError("Forbidden. The channel's signing key does not endorse the activity's channel.", 403);

/** The `iss` claim of the bearer token ("Bearer <token>"). */
function issuerOf(authHeader: string): unknown {
  const token = authHeader.split(' ')[1] ?? '';
  return decodedPart(token.split('.')[1])?.iss;
}

/** The `kid` of the bearer token's header, as the library read it ("Bearer <token>"). */
function kidOf(authHeader: string): unknown {
  const token = authHeader.split(' ')[1] ?? '';
  return decodedPart(token.split('.')[0])?.kid;
}
