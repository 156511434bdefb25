// Who sends a Bot Connector call again. botbuilder's ConnectorClient comes with the Azure SDK's
// default retry (408, 5xx but 501/505, a reset or timeout, 429/503 with Retry-After; 3 times),
// which re-POSTs a message Teams may already have created: a second card in the chat that the
// bot never hears of. Proactive sends (notification cards, channel alerts) carry no retry of
// their own: the delivery and alert workers are the one retry path and see every failure. A turn
// reply retries only a 429 (a request Teams throttled, not processed) after its Retry-After (a
// backoff without one: connectorRetry.statuses.test.ts), and only when that wait fits the call's
// deadline; never after a reset or a 5xx.
// Teams throttling (429 with Retry-After; the page says nothing of 503):
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
// Send to conversation / reply to activity:
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference

import { strict as assert } from 'node:assert';
import { Activity, TurnContext } from 'botbuilder';
import type { ClaimsIdentity } from 'botframework-connector';
import { AdapterOptions, GovernanceAdapter, createAdapter } from '../../src/bot/adapter';
import { proactiveSender } from '../../src/bot/proactiveSender';
import { readConfig } from '../../src/config';
import { classifySendError } from '../../src/notifications/delivery';
import { recordingLogger } from '../fixtures/recordingLogger';
import { ScriptedAnswer, scriptedConnector } from '../fixtures/scriptedConnector';

type Outcome = { readonly id: string | undefined } | { readonly error: unknown };

const CARD = {
  attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: {} },
  summary: 'A request waits for you',
};

/** Sends one notification card as the delivery worker does; what it returned and what Teams saw. */
async function sendProactive(script: readonly ScriptedAnswer[]) {
  const connector = await scriptedConnector(script);
  try {
    const send = proactiveSender(createAdapter(readConfig({}), recordingLogger().logger), '');
    const reference = {
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 't' },
      bot: { id: '28:bot', name: 'Governance Bot' },
      user: { id: '29:user' },
    };
    const outcome: Outcome = await send(reference, CARD, new AbortController().signal).then(
      (id) => ({ id }),
      (error: unknown) => ({ error }),
    );
    return { outcome, posts: [...connector.posts] };
  } finally {
    await connector.close();
  }
}

const inbound = (serviceUrl: string) =>
  ({
    type: 'message',
    id: 'm-1',
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user' },
    recipient: { id: '28:bot' },
    conversation: { id: 'a:personal-1', conversationType: 'personal' },
    text: 'my approvals',
  }) as Activity;

/** Runs one inbound message turn (sandbox: inbound authentication off) that replies once. */
async function runTurn(adapter: GovernanceAdapter, activity: Activity) {
  let outcome: Outcome | undefined;
  let identity: ClaimsIdentity | undefined;
  let audience: string | undefined;
  await adapter.handleAuthenticated(await adapter.authenticate('', activity), activity, async (ctx) => {
    identity = ctx.turnState.get<ClaimsIdentity>(adapter.BotIdentityKey);
    audience = ctx.turnState.get<string>(adapter.OAuthScopeKey);
    outcome = await ctx.sendActivity('Here are your approvals.').then(
      (r) => ({ id: r?.id }),
      (error: unknown) => ({ error }),
    );
  });
  assert.ok(outcome && identity && audience, 'the turn ran');
  return { outcome, identity, audience };
}

async function replyInTurn(script: readonly ScriptedAnswer[], options: AdapterOptions = {}) {
  const connector = await scriptedConnector(script);
  try {
    const adapter = createAdapter(readConfig({}), recordingLogger().logger, options);
    const { outcome } = await runTurn(adapter, inbound(connector.serviceUrl));
    return { outcome, posts: [...connector.posts] };
  } finally {
    await connector.close();
  }
}

const failure = (outcome: Outcome) => {
  assert.ok('error' in outcome, `reported as failed, not sent (it answered ${JSON.stringify(outcome)})`);
  return outcome.error as { statusCode?: number; name?: string; response?: { headers?: unknown } };
};

describe('Bot Connector calls and retries', function () {
  this.timeout(20_000);

  for (const [how, answer] of [
    ['the connection resets after Teams took the message', 'reset'],
    ['a gateway answers 504', { status: 504 }],
  ] as const) {
    it(`a proactive send that fails ambiguously (${how}) is tried once and reported as failed`, async () => {
      const r = await sendProactive([answer]);
      assert.equal(r.posts.length, 1, 'one POST: a second one can be a second card in the chat');
      const error = failure(r.outcome);
      assert.equal(classifySendError(error).kind, 'retry', 'the delivery worker decides when to try again');
    });
  }

  it('a proactive 429 is not retried inside the client: one POST, the caller gets the status and Retry-After', async () => {
    const r = await sendProactive([{ status: 429, headers: { 'retry-after': '1' } }]);
    assert.equal(r.posts.length, 1);
    const error = failure(r.outcome);
    assert.equal(error.statusCode, 429);
    assert.deepEqual(classifySendError(error, 0), { kind: 'retry', afterMs: 1000, status: 429 });
  });

  it('a proactive 503 with Retry-After is not retried inside the client', async () => {
    const r = await sendProactive([{ status: 503, headers: { 'retry-after': '0' } }]);
    assert.equal(r.posts.length, 1);
    assert.equal(failure(r.outcome).statusCode, 503);
  });

  it('a turn reply answered 429 with Retry-After 1 is sent again after that wait and succeeds', async () => {
    const r = await replyInTurn([{ status: 429, headers: { 'retry-after': '1' } }]);
    assert.equal(r.posts.length, 2);
    assert.deepEqual(r.outcome, { id: 'act-2' });
  });

  it("a turn reply's 429 whose Retry-After does not fit the deadline reaches the caller at once, never a timeout", async () => {
    const r = await replyInTurn([{ status: 429, headers: { 'retry-after': '1' } }], { connectorDeadlineMs: 300 });
    assert.equal(r.posts.length, 1);
    const error = failure(r.outcome);
    assert.notEqual(error.name, 'ConnectorTimeoutError');
    assert.equal(error.statusCode, 429);
  });

  for (const [how, answer] of [
    ['meets a reset', 'reset'],
    ['is answered 504', { status: 504 }],
    ['is answered 503 with Retry-After', { status: 503, headers: { 'retry-after': '0' } }],
  ] as const) {
    it(`a turn reply that ${how} is not sent again`, async () => {
      const r = await replyInTurn([answer]);
      assert.equal(r.posts.length, 1, 'one POST: Teams may have shown the first');
      failure(r.outcome);
    });
  }

  it('a proactive send with the identity of an earlier turn, to its service URL, never gets the turn client', async () => {
    const connector = await scriptedConnector([{ status: 201 }, { status: 429, headers: { 'retry-after': '0' } }]);
    try {
      const adapter = createAdapter(readConfig({}), recordingLogger().logger);
      const activity = inbound(connector.serviceUrl);
      const turn = await runTurn(adapter, activity);
      assert.deepEqual(turn.outcome, { id: 'act-1' });
      let outcome: Outcome | undefined;
      const reference = TurnContext.getConversationReference(activity);
      // The turn's identity and audience: the same app, service URL and audience as the turn client.
      await adapter.continueConversationAsync(turn.identity, reference, turn.audience, (ctx) =>
        ctx.sendActivity('A request waits for you').then(
          (r) => void (outcome = { id: r?.id }),
          (error: unknown) => void (outcome = { error }),
        ),
      );
      assert.equal(connector.posts.length, 2, 'the 429 was not retried: the worker retries it');
      assert.equal(failure(outcome!).statusCode, 429);
    } finally {
      await connector.close();
    }
  });
});
