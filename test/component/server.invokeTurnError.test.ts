// An invoke whose turn fails before any handler answered it (a middleware that throws, or the
// handler's dispatch itself) still gets an answer Teams can show, never botbuilder's 501 for an
// invoke no one answered. Universal Actions: "the HTTP response's status code returned by the Bot
// must be equal to 200", an error in the body's `statusCode`
// (https://learn.microsoft.com/adaptive-cards/authoring-cards/universal-action-model#response-format);
// a failed token exchange is 412, so Teams offers the sign-in button again
// (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/authentication/bot-sso-code#handle-an-invoke-activity).

import { strict as assert } from 'node:assert';
import { messagesEdgeSession } from '../fixtures/messagesEdge';

describe('an invoke whose turn throws before a handler answers', () => {
  const edge = messagesEdgeSession();

  const failingMiddleware = () =>
    edge.adapter.use({
      onTurn: async () => {
        throw new Error('SQLITE_IOERR: disk I/O error at /srv/state/state.db');
      },
    });

  const invoke = (name: string, value: unknown) =>
    edge.post(edge.activity({ type: 'invoke', name, value, text: undefined }));

  it('answers a card action 200 with an error the card can show, naming a reference and no internals', async () => {
    failingMiddleware();
    const res = await invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'act', data: {} } });
    assert.equal(res.status, 200, `answered ${res.status}: ${res.text}`);
    const body = JSON.parse(res.text) as { statusCode: number; type: string; value: { message: string } };
    assert.equal(body.type, 'application/vnd.microsoft.error');
    assert.equal(body.statusCode, 500);
    assert.match(body.value.message, /reference: [0-9a-f-]{36}/);
    assert.doesNotMatch(res.text, /SQLITE|\/srv|at .*\.js/);
  });

  it('answers a token exchange 412 with its id, so Teams offers the sign-in button again', async () => {
    failingMiddleware();
    const res = await invoke('signin/tokenExchange', { id: 'exchange-1', connectionName: '', token: 'x' });
    assert.equal(res.status, 412);
    const body = JSON.parse(res.text) as { id: string; failureDetail: string };
    assert.equal(body.id, 'exchange-1');
    assert.doesNotMatch(res.text, /SQLITE|\/srv/);
  });

  it('answers the other sign-in invokes and unknown invokes 200, never a 5xx or a 501', async () => {
    failingMiddleware();
    for (const name of ['signin/verifyState', 'signin/failure', 'task/fetch']) {
      const res = await invoke(name, { state: '123456' });
      assert.equal(res.status, 200, `${name} answered ${res.status}`);
    }
  });
});
