// The Bot Framework authentication the adapter runs on. Inbound: it refuses a token not for this
// bot, a token whose origin does not vouch for the activity (tokenOrigin.ts), an activity from
// another channel or tenant, and ends at a deadline; a token verified once is kept for its life
// (verifiedTokens.ts). Outbound: it hands botbuilder connectors with deadlines
// (deadlineConnectors.ts), one client per kind, app id, service URL and audience. adapter.ts wires
// it into the CloudAdapter.

import {
  Activity,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  StatusCodes,
} from 'botbuilder';
import {
  AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  UserTokenClient,
} from 'botframework-connector';
import { within } from '../domain/clock';
import { isGuid } from '../domain/operations';
import { ConnectorClients } from './connectorClients';
import type { ConnectorKind } from './connectorRetry';
import { CachedCredentialsFactory } from './connectorCredentials';
import { DeadlineConnectorFactory } from './deadlineConnectors';
import { withoutAddedIssuers } from './emulatorIssuers';
import { TokenOrigin, notEndorsed } from './tokenOrigin';
import { tenantOf } from './turnUser';
import { VerifiedTokens } from './verifiedTokens';

/** The app id botbuilder's connector factory is built for: the audience claim of a channel's token,
 * the appid claim of the Emulator's. */
function appIdOf(identity: ClaimsIdentity): string | undefined {
  return (
    identity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    identity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    undefined
  );
}

/** A token's expiry (its exp claim) in milliseconds, or NaN when it has none. */
function expiryOf(identity: ClaimsIdentity): number {
  const exp: unknown = identity.getClaimValue('exp');
  return typeof exp === 'number' ? exp * 1000 : NaN;
}

/** The only channel whose activities name an Entra user (from.aadObjectId) on Entra's word. */
const TEAMS_CHANNEL = 'msteams';
const sameId = (a: string | null, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

/** Said when the channel's signing keys did not arrive in time: a server fault, so the channel
 * sends the activity again, and never "unauthorized" (nothing is known about the token). */
const KEYS_LATE = 'The channel token could not be verified in time.';

export type Verified = Omit<AuthenticateRequestResult, 'connectorFactory'>;

/** A bad token is an authentication error (401), whichever library noticed it. */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new ConnectorClients<ConnectorClient>();
  /** botbuilder builds a user-token client for every turn too; one per app id serves them all. */
  private readonly userTokenClients = new ConnectorClients<UserTokenClient>();

  /** The bot's app id: the audience every inbound token must name (empty: inbound auth is off). */
  private readonly appId: string;
  private readonly origin: TokenOrigin;

  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly connectorDeadlineMs: number,
    private readonly verified: VerifiedTokens<Verified>,
    /** The organization the bot serves (a tenant GUID), or null when it cannot be told locally. */
    private readonly servedTenant: string | null,
    private readonly authenticationDeadlineMs: number,
  ) {
    // The bot's own credentials once per audience, not twice per turn (connectorCredentials.ts).
    super(options, CachedCredentialsFactory.fromConfiguration(options));
    this.appId = options.MicrosoftAppId ?? '';
    this.origin = new TokenOrigin(this, [options.MicrosoftAppTenantId, servedTenant]);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const known = this.verified.get(authHeader, activity.channelId, activity.serviceUrl);
    if (known) {
      this.refuseForeignChannel(activity);
      this.refuseForeignTenant(activity);
      return { ...known, connectorFactory: this.connectorFactory(known.claimsIdentity, 'turn') };
    }
    if (this.appId !== '') this.origin.refuseForged(authHeader, activity.channelId);
    let result: AuthenticateRequestResult;
    try {
      // The answer's deadline; the keys read itself is bounded too (openIdMetadataReads.ts), and
      // the library's Emulator issuers are kept from growing (emulatorIssuers.ts).
      result = await within(
        withoutAddedIssuers(() => super.authenticateRequest(activity, authHeader)),
        this.authenticationDeadlineMs,
        () => new AuthenticationError(KEYS_LATE, StatusCodes.INTERNAL_SERVER_ERROR),
      );
    } catch (e) {
      // jsonwebtoken's own errors (a forged signature, a token not yet valid, a wrong algorithm)
      // reach here unwrapped and would be a 500: they are a bad token, so 401. A failure to
      // fetch the channel's keys stays a server fault, so the channel retries.
      const name = (e as { name?: unknown } | null)?.name;
      if (name === 'JsonWebTokenError' || name === 'NotBeforeError' || name === 'TokenExpiredError') {
        throw new AuthenticationError('Unauthorized. The token is not valid.', StatusCodes.UNAUTHORIZED);
      }
      // The library's own refusal of a key that endorses other channels (its keys just read) is the
      // page's 403, as every other endorsement refusal here (tokenOrigin.ts).
      if (e instanceof AuthenticationError && /^Could not validate (additional )?endorsement/.test(e.message)) {
        throw notEndorsed();
      }
      throw e;
    }
    // Every token sent to the bot names the bot as its audience (Microsoft's rules for the Bot
    // Connector's tokens and the Emulator's alike). botframework-connector checks that for the
    // channel's tokens only: on its Emulator path it takes any Entra token whose appid is the bot,
    // whatever the audience (the bot's own Bot Connector token among them), from any tenant, and
    // binds it to no service URL.
    // https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication (both the "Bot Connector" and the "Emulator" sections, step 4)
    if (
      this.appId !== '' &&
      !sameId(result.claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim), this.appId)
    ) {
      throw new AuthenticationError('Unauthorized. The token is not for this bot.', StatusCodes.UNAUTHORIZED);
    }
    // "The token has not yet expired" (step 4): one with no exp never would; jsonwebtoken takes it.
    if (this.appId !== '' && !Number.isFinite(expiryOf(result.claimsIdentity))) {
      throw new AuthenticationError('Unauthorized. The token has no expiry.', StatusCodes.UNAUTHORIZED);
    }
    this.refuseForeignChannel(activity);
    if (this.appId !== '') this.origin.refuse(authHeader, activity.channelId, result.claimsIdentity);
    this.refuseForeignTenant(activity);
    const { connectorFactory, ...verified } = result;
    this.verified.remember(
      authHeader,
      activity.channelId,
      activity.serviceUrl,
      expiryOf(result.claimsIdentity),
      verified,
    );
    return connectorFactory
      ? { ...verified, connectorFactory: this.connectorFactory(result.claimsIdentity, 'turn') }
      : result;
  }

  /**
   * The user an activity names (from.aadObjectId, whose delegated token the bot then uses) is
   * Entra's word only when Microsoft Teams sent it. Every Azure Bot resource also has the Web
   * Chat channel, and Direct Line passes on the `from` and channelData its client chose: a channel
   * token proves which channel sent an activity, and Bot Framework keeps user ids apart per
   * channel, so an id from another channel never stands for a Teams user (403). Inbound
   * authentication off (sandbox): no check.
   * https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
   * https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-authentication
   */
  private refuseForeignChannel(activity: Activity): void {
    // No channel id at all: the envelope check that follows refuses it (400), saying what is missing.
    const channel: unknown = activity.channelId;
    if (this.appId === '' || channel === TEAMS_CHANNEL || typeof channel !== 'string' || channel.trim() === '') return;
    throw new AuthenticationError('Forbidden. The activity is not from Microsoft Teams.', 403);
  }

  /**
   * A channel token proves that Teams sent the activity, not from which organization: with a
   * multi-tenant app any tenant can install the bot. Its users' tokens, alert subscriptions and
   * governance items all belong to the served tenant, so an activity naming another changes
   * nothing (403). Teams names the tenant in conversation.tenantId and channelData.tenant.id;
   * either naming another tenant refuses it. Inbound authentication off (sandbox): no check.
   * https://learn.microsoft.com/en-us/microsoftteams/platform/agents-in-teams/agent-tenancy
   */
  private refuseForeignTenant(activity: Activity): void {
    if (this.appId === '' || this.servedTenant === null) return;
    const named = [activity.conversation?.tenantId, tenantOf({ channelData: activity.channelData as unknown })];
    const foreign = named.find((t) => typeof t === 'string' && t !== '' && !sameId(t, this.servedTenant!));
    if (foreign !== undefined) {
      // Named in the log (only a GUID: the field is the sender's word) so the operator can tell who.
      const who = isGuid(foreign) ? ` (${foreign})` : '';
      throw new AuthenticationError(`Forbidden. The activity is from another tenant${who}.`, 403);
    }
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokenClients.get('userToken', appIdOf(claimsIdentity), '', undefined, () =>
      super.createUserTokenClient(claimsIdentity),
    );
  }

  /** botbuilder asks for this factory outside a turn only: continueConversationAsync and
   * createConversationAsync (proactive sends, channel alerts, card updates). The turn's own
   * factory comes with authenticateRequest. */
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.connectorFactory(claimsIdentity, 'proactive');
  }

  private connectorFactory(claimsIdentity: ClaimsIdentity, kind: ConnectorKind): ConnectorFactory {
    return new DeadlineConnectorFactory(
      super.createConnectorFactory(claimsIdentity),
      this.connectorDeadlineMs,
      this.clients,
      appIdOf(claimsIdentity),
      kind,
    );
  }
}
