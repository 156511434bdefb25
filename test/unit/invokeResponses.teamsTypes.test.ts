// Every Universal Actions answer the bot can give carries a `type` that Teams accepts for its
// `statusCode`. Teams checks the pair and refuses any other with its own error ("Unexpected response
// type for Status Code: 401 Expected responseTypes: application/vnd.microsoft.activity.loginRequest
// or application/vnd.microsoft.error.invalidAuthCode"), so the person sees a failure instead of the
// answer. The pairs are the ones Teams' pages give:
// 200 card or message: https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards
// 401 loginRequest, 401 invalidAuthCode for an incorrect `state` (no value):
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards
// 412 preconditionFailed with value {code: "412", message}:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action
// 4xx and 500 errors: https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format

import { strict as assert } from 'node:assert';
import type { InvokeResponse } from 'botbuilder';
import {
  cardError,
  cardReply,
  failedInvokeResponse,
  invalidAuthCode,
  loginRequest,
  messageReply,
  preconditionFailed,
} from '../../src/bot/invokeResponses';
import type { Reply } from '../../src/bot/replies';

const ACCEPTED: Readonly<Record<number, readonly string[]>> = {
  200: ['application/vnd.microsoft.card.adaptive', 'application/vnd.microsoft.activity.message'],
  400: ['application/vnd.microsoft.error'],
  404: ['application/vnd.microsoft.error'],
  401: ['application/vnd.microsoft.activity.loginRequest', 'application/vnd.microsoft.error.invalidAuthCode'],
  412: ['application/vnd.microsoft.error.preconditionFailed'],
  500: ['application/vnd.microsoft.error'],
};

function assertTeamsTakes(name: string, response: InvokeResponse): void {
  assert.equal(response.status, 200, `${name}: the HTTP answer of an adaptiveCard/action is 200`);
  const body = response.body as { statusCode?: unknown; type?: unknown };
  const allowed = ACCEPTED[body.statusCode as number];
  assert.ok(allowed, `${name}: statusCode ${String(body.statusCode)} is one Teams knows`);
  assert.ok(
    allowed.includes(String(body.type)),
    `${name}: ${String(body.type)} is not taken for ${String(body.statusCode)}`,
  );
}

const card: Reply = {
  summary: 's',
  attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } },
};
const oauth = {
  content: { text: 't', connectionName: '', buttons: [{ type: 'signin', title: 'Sign in', value: 'https://x' }] },
};

describe('Universal Actions answers: a type Teams takes for each status', () => {
  it('every answer the bot can give', () => {
    const answers: Array<[string, InvokeResponse]> = [
      ['card', cardReply(card)],
      ['message', messageReply('m')],
      ['error 400', cardError(400, 'BadRequest', 'm')],
      ['error 404', cardError(404, 'NotFound', 'm')],
      ['loginRequest', loginRequest(oauth)],
      ['incorrect state', invalidAuthCode()],
      ['preconditionFailed', preconditionFailed('m')],
      ['failed, with a card', failedInvokeResponse('adaptiveCard/action', {}, 'c', card)],
      ['failed, no card', failedInvokeResponse('adaptiveCard/action', {}, 'c')],
    ];
    for (const [name, response] of answers) assertTeamsTakes(name, response);
  });

  it('an incorrect sign-in state is 401 invalidAuthCode with no value, as Teams’ page writes it', () => {
    assert.deepEqual(invalidAuthCode().body, {
      statusCode: 401,
      type: 'application/vnd.microsoft.error.invalidAuthCode',
    });
  });
});
