// What a Bot Connector refusal says about the conversation, read from its status and the error
// code of its body (`{"error":{"code":"...","message":"..."}}`). Microsoft's table of these answers
// and what a bot should do about each:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
//
// The code reaches us on the connector's error itself: botframework-connector is an
// @azure/core-client ServiceClient, whose deserialization policy throws a RestError with
// `statusCode` and `code` (the body's `error.code`) and keeps the answer on `response`
// (`parsedBody`, `bodyAsText`). The last two are read too, for an error built elsewhere.
//
// The answers fall in four groups, and only one of them is news about the conversation:
// - the conversation refuses the bot (removed from the roster, blocked by the user or the admin,
//   not installed in personal scope, the conversation gone): stop posting there until someone
//   interacts with the bot or installs it again, so the reference is forgotten / the channel
//   suspended;
// - a fault of the bot's own deployment (the public endpoint called for a GCC tenant, missing
//   permissions, an unregistered bot): every conversation would be refused alike, so nothing is
//   learnt about this one; the send fails and says what an administrator must fix, and every
//   stored reference and subscription is kept;
// - the message to update or reply to is gone: the conversation is still there;
// - anything else: the caller's own reading of the status.

import { notSentAgain } from './notSentAgain';

/** Codes of a refusal by the conversation itself. */
const CONVERSATION_CODES = [
  'BotDisabledByAdmin',
  'BotNotInConversationRoster',
  'ConversationBlockedByUser',
  'ForbiddenOperationException',
  'ConversationNotFound',
] as const;

/** What an administrator must fix, per code of a deployment fault. */
const DEPLOYMENT_FIXES = {
  InvalidBotApiHost:
    "the bot called Teams' public endpoint for a conversation of a GCC tenant: an administrator must " +
    'deploy Governance Bot for that cloud (its Bot Connector is https://smba.infra.gcc.teams.microsoft.com)',
  NotEnoughPermissions:
    'the bot lacks a permission Teams requires for this send: an administrator must check the app ' +
    "registration's and the Teams app's permissions",
  BotNotRegistered:
    'Teams found no registration for the bot: an administrator must check its app id and credentials and ' +
    'that its Azure Bot has the Microsoft Teams channel enabled',
} as const;

const MESSAGE_GONE_CODE = 'ActivityNotFoundInConversation';

export type DeploymentCode = keyof typeof DEPLOYMENT_FIXES;
export type ConversationCode = (typeof CONVERSATION_CODES)[number];

export type ConnectorRefusal =
  /** The conversation refuses the bot; `code` is null when the body named no code we know. */
  | { readonly kind: 'conversationRefused'; readonly status: 403 | 404; readonly code: ConversationCode | null }
  /** The bot's own deployment is at fault, not the conversation. */
  | { readonly kind: 'deploymentFault'; readonly status: number; readonly code: DeploymentCode | null }
  /** The message to update or reply to no longer exists. */
  | { readonly kind: 'messageGone'; readonly status: number }
  | { readonly kind: 'other' };

/** Reads a failed connector call. */
export function readRefusal(error: unknown): ConnectorRefusal {
  const status = statusOf(error);
  if (status === null) return { kind: 'other' };
  const code = codeOf(error);
  const deployment = known(Object.keys(DEPLOYMENT_FIXES) as DeploymentCode[], code);
  if (deployment) return { kind: 'deploymentFault', status, code: deployment };
  // A 401 is the bot's credentials, whatever the body says: no conversation refused anything.
  if (status === 401) return { kind: 'deploymentFault', status, code: null };
  if (status !== 403 && status !== 404) return { kind: 'other' };
  if (known([MESSAGE_GONE_CODE], code)) return { kind: 'messageGone', status };
  // A 403 or 404 with no code of the table, or none at all, is read as the conversation refusing
  // the bot: every other 403 and 404 the table lists means that, so this keeps to the side Teams
  // asks for (stop posting there) rather than keep posting where the bot may be unwelcome.
  return { kind: 'conversationRefused', status, code: known(CONVERSATION_CODES, code) };
}

/** The status and the documented code, as a refusal names them in a reason: "403 InvalidBotApiHost". */
export function answerOf(refusal: { readonly status: number; readonly code?: string | null }): string {
  return refusal.code ? `${refusal.status} ${refusal.code}` : String(refusal.status);
}

/** What a refusal by the conversation says happened, in the table's terms: an administrator's
 * block in the app policies and a user's block are no removal, and what ends them is not a new
 * install. Either way the reference is forgotten (the table: stop posting there until someone
 * there reaches the bot), so a message to the bot there is what lets it post again. `oneRecipient`:
 * an event sent to one user or channel, which also says to post it under a new eventId once the bot
 * can reach them (notSentAgain.ts); not a channel's share of an event sent to a category, whose
 * other channels may have the card already (posted again, they would have it twice). */
export function refusedConversationWhy(code: ConversationCode | null, oneRecipient = true): string {
  const again = (when: string) => (oneRecipient ? ` ${notSentAgain(when)}` : '');
  if (code === 'BotDisabledByAdmin')
    return (
      "an administrator blocked Governance Bot in Teams' app policies." +
      `${again('the bot can post there again')} Once it is allowed again, writing to the bot there ` +
      'lets it post again.'
    );
  if (code === 'ConversationBlockedByUser')
    return (
      "the recipient blocked Governance Bot (in a channel, the channel's moderation settings)." +
      `${again('the bot can post there again')} Once it is unblocked, writing to the bot there lets ` +
      'it post again.'
    );
  return `Governance Bot was removed there or the recipient uninstalled it.${again('Governance Bot is installed there again')}`;
}

/** Why a send failed for a deployment fault, and what an administrator must fix. */
export function deploymentFaultReason(refusal: Extract<ConnectorRefusal, { kind: 'deploymentFault' }>): string {
  const fix = refusal.code
    ? DEPLOYMENT_FIXES[refusal.code]
    : "Teams did not accept the bot's credentials: an administrator must check its app id and credentials";
  return (
    `Teams refused the send (${answerOf(refusal)}): ${fix}. ` +
    'The recipient and the channel are kept: sends work again once this is fixed.'
  );
}

/** The documented code `code` is (case aside), spelled as Microsoft's table spells it. Anything
 * else (an unknown code is text from outside) is never repeated. */
function known<C extends string>(codes: readonly C[], code: string | null): C | null {
  if (code === null) return null;
  const lower = code.toLowerCase();
  return codes.find((c) => c.toLowerCase() === lower) ?? null;
}

/** @azure/identity's failures without an HTTP status (a managed identity that gave no token). */
const IDENTITY_FAILURES: ReadonlySet<unknown> = new Set(['CredentialUnavailableError', 'AggregateAuthenticationError']);

/** botframework-connector's own plain errors (4.23) when the token service answered with no
 * token: AppCredentials.getToken's, for a result whose access token is empty (Entra's token
 * endpoint answering 200 with no `access_token`, which MSAL gives as an empty token, or a managed
 * identity giving an empty one), and MsalAppCredentials.refreshToken's, for MSAL giving no result. */
const NO_TOKEN_MESSAGES: ReadonlySet<unknown> = new Set([
  'Authentication: No response or error received from MSAL.',
  'Authentication: No access token received from MSAL.',
]);

/** Did the call fail on the bot's own token, before anything reached Teams? botframework-connector
 * gets it inside the call, and its error comes out unchanged: MSAL's (a string `errorCode`; a
 * ServerError carries the HTTP status of Entra's token endpoint in `status`) or @azure/identity's
 * (an AuthenticationError carries Entra's status in `statusCode`, its body in `errorResponse`), or
 * its own when either gave no token. */
export function isTokenFailure(e: unknown): boolean {
  const o = e as { errorCode?: unknown; name?: unknown; errorResponse?: unknown; message?: unknown } | null;
  if (typeof o !== 'object' || o === null) return false;
  if (typeof o.errorCode === 'string' || IDENTITY_FAILURES.has(o.name)) return true;
  if (o.name === 'Error' && NO_TOKEN_MESSAGES.has(o.message)) return true;
  return o.name === 'AuthenticationError' && typeof o.errorResponse === 'object';
}

/** Entra's OAuth errors saying the bot's own credentials are wrong (a client secret expired or
 * mistyped, an app id the tenant does not know): no retry helps, an administrator must fix them.
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes (invalid_client,
 * unauthorized_client) */
const CREDENTIAL_ERRORS: ReadonlySet<unknown> = new Set(['invalid_client', 'unauthorized_client']);

/** Entra's numbers (its `error_codes`) saying the bot's own registration names a tenant or an app
 * Entra does not find, whatever OAuth error comes with them (`invalid_request`, "Fix and resubmit
 * the request", or `unauthorized_client`): AADSTS90002 InvalidTenantName "Check to make sure you
 * have the correct tenant ID"; AADSTS700016 "The application wasn't found in the directory/tenant
 * ... misconfigured the identifier value for the application or sent your authentication request
 * to the wrong tenant". https://learn.microsoft.com/entra/identity-platform/reference-error-codes */
const NOT_FOUND_NUMBERS: ReadonlyMap<number, (answer: string) => string> = new Map([
  [
    90002,
    (answer: string) =>
      `did not find the bot's tenant (${answer}): an administrator must check MicrosoftAppTenantId and that ` +
      "the bot is deployed for that tenant's cloud",
  ],
  [
    700016,
    (answer: string) =>
      `did not find the bot's app in its tenant (${answer}): an administrator must check MicrosoftAppId and ` +
      'MicrosoftAppTenantId (the app registration must be in that tenant)',
  ],
]);

/** The OAuth errors the reference's table names. */
const OAUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_request',
  'invalid_grant',
  'unauthorized_client',
  'invalid_client',
  'unsupported_grant_type',
  'invalid_resource',
  'interaction_required',
  'temporarily_unavailable',
]);

/** Entra refusing the bot's own token for a fault of its deployment. */
export interface EntraDeploymentRefusal {
  /** Entra's HTTP status. */
  readonly status: number;
  /** The OAuth error for refused credentials; `AADSTS<n>` for a tenant or app not found. */
  readonly code: string;
  /** Why, and what an administrator must fix. */
  readonly reason: string;
}

/** The token failure's Entra status and code, and what to fix, when it is a deployment fault. */
export function refusedDeployment(e: unknown): EntraDeploymentRefusal | null {
  if (!isTokenFailure(e)) return null;
  const o = e as {
    errorCode?: unknown;
    errorNo?: unknown;
    status?: unknown;
    statusCode?: unknown;
    errorResponse?: { error?: unknown; errorCodes?: unknown };
  };
  const error = typeof o.errorCode === 'string' ? o.errorCode : o.errorResponse?.error;
  const status = typeof o.status === 'number' ? o.status : o.statusCode;
  if (typeof status !== 'number' || typeof error !== 'string') return null;
  // MSAL keeps the first of Entra's `error_codes` in `errorNo` (a number, or its digits);
  // @azure/identity keeps them all in `errorResponse.errorCodes`.
  const codes = o.errorResponse?.errorCodes;
  const first = Array.isArray(codes) ? codes[0] : o.errorNo;
  const number = typeof first === 'string' && /^\d+$/.test(first) ? Number(first) : first;
  const words = typeof number === 'number' ? NOT_FOUND_NUMBERS.get(number) : undefined;
  if (words) {
    const code = `AADSTS${number as number}`;
    // Entra's OAuth error is repeated only when it is one the reference names (text from outside).
    const answer = OAUTH_ERRORS.has(error) ? `${status} ${error}, ${code}` : `${status}, ${code}`;
    return { status, code, reason: `Microsoft Entra ID ${words(answer)}` };
  }
  if (!CREDENTIAL_ERRORS.has(error)) return null;
  return {
    status,
    code: error,
    reason:
      `Microsoft Entra ID refused the bot's own credentials (${status} ${error}): an administrator must ` +
      'check its app id and its client secret or certificate (an expired secret is the usual cause)',
  };
}

/** The HTTP status Teams answered a failed call with (`statusCode` on core-client's RestError,
 * `status` elsewhere); null without one, and for a failure on the bot's own token, whose status is
 * Entra's: an Entra 500 is no card that may have been posted, an identity endpoint's 404 no
 * conversation that refused the bot. */
export function statusOf(e: unknown): number | null {
  if (isTokenFailure(e)) return null;
  const o = e as { statusCode?: unknown; status?: unknown } | null;
  const s = typeof o?.statusCode === 'number' ? o.statusCode : o?.status;
  return typeof s === 'number' && s >= 100 && s <= 599 ? s : null;
}

/** The body's `error.code`: on the error (core-client's RestError), else in its parsed or raw body. */
function codeOf(e: unknown): string | null {
  const o = e as { code?: unknown; response?: { parsedBody?: unknown; bodyAsText?: unknown } } | null;
  if (typeof o?.code === 'string' && o.code) return o.code;
  const fromBody = (body: unknown): string | null => {
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    return typeof code === 'string' && code ? code : null;
  };
  const parsed = fromBody(o?.response?.parsedBody);
  if (parsed) return parsed;
  const text = o?.response?.bodyAsText;
  if (typeof text !== 'string' || !text.startsWith('{')) return null;
  try {
    return fromBody(JSON.parse(text));
  } catch {
    return null;
  }
}
