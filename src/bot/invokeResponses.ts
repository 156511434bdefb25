// Every invoke answer has one home: the Universal Actions response types (teams-platform.md §3,
// "Response types"), the token exchange body (§2.2) and the error card that replaces a 5xx or a
// 501 when something fails inside an invoke.
// A Universal Actions answer is always an HTTP 200 invoke response whose body carries its own
// `statusCode` (200, 4xx, 401 loginRequest or invalidAuthCode, 412 preconditionFailed), as botbuilder's
// ActivityHandler.createInvokeResponse builds it and Microsoft's samples send it:
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// The signin/* invokes are not Universal Actions: their HTTP status is the answer (200, 400, 412).

import { InvokeResponse } from 'botbuilder';
import { ConversationKind, readByTheUserOnly } from './personalChat';
import { Reply } from './replies';
import { SIGNED_OUT_WHILE_ASKED } from './signInAbandoned';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** 200 with an Adaptive Card: replaces the card for the person who clicked. */
export function cardReply(reply: Reply): InvokeResponse {
  return {
    status: 200,
    body: { statusCode: 200, type: ADAPTIVE, value: reply.attachment.content },
  };
}

/** 200 with a message the client shows (the card stays as it is). */
export function messageReply(text: string): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } };
}

/** A 4xx error in the Universal Actions shape: the card stays as it is. */
export function cardError(statusCode: 400 | 404, code: string, message: string): InvokeResponse {
  return { status: 200, body: { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } } };
}

/**
 * The connection name a loginRequest carries. The bot has no Bot Service OAuth connection (it does
 * its own on-behalf-of exchange), and its chat OAuth card leaves the name empty; but "Senders must
 * include a connectionName. Receivers may ignore sign in requests with an empty or missing
 * connectionName", so a click's login request names one. Teams only echoes it back in the re-sent
 * click's `authentication`, which the bot does not rely on.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
 */
const LOGIN_REQUEST_CONNECTION = 'GovernanceBotSignIn';

/** The loginRequest of a press remembered for its presser's sign-in, or the message saying a sign out
 * forgot it as it was remembered (null: commandTurns.ts signInCard; its audit line is written). */
export function asked(oauthCard: { content: object } | null): InvokeResponse {
  return oauthCard ? loginRequest(oauthCard) : messageReply(SIGNED_OUT_WHILE_ASKED);
}

/**
 * loginRequest (statusCode 401): Teams runs SSO and re-sends the click with the token; when SSO
 * cannot succeed it shows the OAuth card's Sign in button, then re-sends the click with `state`.
 */
export function loginRequest(oauthCard: { content: object }): InvokeResponse {
  const card = oauthCard.content as { connectionName?: unknown };
  const named = typeof card.connectionName === 'string' && card.connectionName !== '';
  const value = named ? oauthCard.content : { ...oauthCard.content, connectionName: LOGIN_REQUEST_CONNECTION };
  return {
    status: 200,
    body: { statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest', value },
  };
}

/** preconditionFailed (statusCode 412, value.code "412"): SSO did not complete for this click. */
export function preconditionFailed(message: string): InvokeResponse {
  return {
    status: 200,
    body: {
      statusCode: 412,
      type: 'application/vnd.microsoft.error.preconditionFailed',
      value: { code: '412', message },
    },
  };
}

/**
 * invalidAuthCode (statusCode 401, no value): a press Teams re-sent after the sign-in pages carried
 * a `state` the bot cannot use (unknown, used, expired or another user's). Not 412, which is for a
 * failed SSO exchange. Teams' page: "If the value in the state field is incorrect, the bot returns
 * an error to the Teams client" with exactly this type, after which Teams may prompt again or the
 * press may be sent again. The model's table and the SDKs spell it `incorrectAuthCode` (or
 * `inccorectAuthCode`), but Teams takes only loginRequest or invalidAuthCode with a 401 and refuses
 * any other type ("Unexpected response type for Status Code: 401").
 * https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
 */
export function invalidAuthCode(): InvokeResponse {
  return {
    status: 200,
    body: { statusCode: 401, type: 'application/vnd.microsoft.error.invalidAuthCode' },
  };
}

/** The signin/tokenExchange answer body echoes the request's id and connection name. */
export function tokenExchangeResponse(status: 200 | 400 | 412, value: unknown, failureDetail?: string): InvokeResponse {
  const v = (value ?? {}) as { id?: unknown; connectionName?: unknown };
  const body = {
    id: typeof v.id === 'string' ? v.id : '',
    connectionName: typeof v.connectionName === 'string' ? v.connectionName : '',
    ...(failureDetail ? { failureDetail } : {}),
  };
  return { status, body };
}

export const OK: InvokeResponse = { status: 200 };

/** Dialog invokes: Teams waits for a task module response (a TaskInfo wrapper), and shows the
 * value of a `message` one in a popup.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/task-modules/task-modules-bots */
const DIALOG_INVOKES: ReadonlySet<string> = new Set([
  'task/fetch',
  'task/submit',
  'composeExtension/fetchTask',
  'message/fetchTask',
]);

/**
 * The answer in the body Teams defines for an invoke of a kind the bot has no handler for, saying
 * `text`: a task module message for a dialog invoke, a message extension message for the other
 * composeExtension/* invokes (https://learn.microsoft.com/en-us/microsoftteams/platform/messaging-extensions/how-to/search-commands/respond-to-search),
 * a config response for the bot configuration invokes, config/fetch taking only `continue` (a
 * dialog, here one card saying `text`) or `auth`, config/submit `continue` or `message`
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/bot-configuration-experience),
 * else null (the caller answers with a card).
 */
export function notACardAnswer(name: string | undefined, text: string): InvokeResponse | null {
  if (name === 'config/fetch') {
    const content = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text, wrap: true }] };
    const dialog = {
      title: 'Governance Bot',
      height: 'small',
      width: 'small',
      card: { contentType: ADAPTIVE, content },
    };
    return { status: 200, body: { responseType: 'config', config: { type: 'continue', value: dialog } } };
  }
  if (name === 'config/submit')
    return { status: 200, body: { responseType: 'config', config: { type: 'message', value: text } } };
  if (name !== undefined && DIALOG_INVOKES.has(name))
    return { status: 200, body: { task: { type: 'message', value: text } } };
  if (name?.startsWith('composeExtension/'))
    return { status: 200, body: { composeExtension: { type: 'message', text } } };
  return null;
}

/** The words of an invoke that failed inside the bot. It may have acted before it failed, so they
 * never claim that nothing changed. */
export const INVOKE_FAILED_TITLE = 'Something went wrong on my side';
export function invokeFailedText(correlationId: string): string {
  return `If you asked for a change, check whether it was made before you try again. If this keeps happening, give your administrator this reference: ${correlationId}.`;
}

/**
 * What an invoke answers when it failed inside the bot, never a 5xx or a 501: the token exchange
 * 412 with its id and connection name (Teams offers the sign-in button again), verifyState and
 * failure 200 (Teams renders nothing of a sign-in invoke's answer: their card goes as a message,
 * failureToldAsMessage), a dialog or message extension invoke 200 with its own message body
 * (notACardAnswer), any other invoke 200 with `card` when there is one, else a Universal
 * Actions error (statusCode 500 in the body, which a card shows as a failure).
 * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code#handle-an-invoke-activity
 */
export function failedInvokeResponse(
  name: string | undefined,
  value: unknown,
  correlationId: string,
  card?: Reply,
): InvokeResponse {
  if (name === 'signin/tokenExchange') {
    return tokenExchangeResponse(412, value, `The bot could not complete sign-in (${correlationId}).`);
  }
  if (name === 'signin/verifyState' || name === 'signin/failure') return OK;
  const message = `${INVOKE_FAILED_TITLE}. ${invokeFailedText(correlationId)}`;
  const notACard = notACardAnswer(name, message);
  if (notACard) return notACard;
  if (card) return cardReply(card);
  return {
    status: 200,
    body: { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'InternalError', message } },
  };
}

/**
 * Whether the error card of a failed invoke goes as a message in its conversation: for the sign-in
 * invokes, whose answer Teams shows nothing of. signin/verifyState comes from the one person who
 * completed the sign-in pages. signin/tokenExchange and signin/failure come, in a group chat or a
 * channel, from every member's client that tried the card (signInFailure.ts): there nothing is
 * posted for everyone, and the token exchange's 412 has Teams offer the sign-in button again.
 */
export function failureToldAsMessage(name: string | undefined, conversation: ConversationKind | undefined): boolean {
  if (name === 'signin/verifyState') return true;
  return (name === 'signin/tokenExchange' || name === 'signin/failure') && readByTheUserOnly(conversation);
}
