// /api/messages in process: a well-formed activity runs a turn and its reply reaches the connector
// it names; malformed activities and bodies are refused with 400 in the bot's own words before
// botbuilder runs a turn.
// Activity fields and their types: https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object

import { strict as assert } from 'node:assert';
import { messagesEdgeSession } from '../fixtures/messagesEdge';

describe('/api/messages (in process): which activities run a turn', () => {
  const edge = messagesEdgeSession();

  it('runs a well-formed activity and replies through the loopback connector it names', async () => {
    const r = await edge.post(edge.activity());
    assert.equal(r.status, 200, r.text);
    assert.equal(edge.turns.length, 1);
    assert.deepEqual(edge.sendErrors, []);
    assert.equal(edge.connector.seen.length, 1);
    assert.match(edge.connector.seen[0]!, /^POST \/v3\/conversations\/a%3Apersonal\/activities/);
  });

  it('refuses with 400, before any turn, what cannot be answered', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['no serviceUrl', { serviceUrl: undefined }],
      ['null serviceUrl', { serviceUrl: null }],
      ['serviceUrl not a URL', { serviceUrl: 'not a url' }],
      ['serviceUrl http to another host', { serviceUrl: 'http://connector.example.com/' }],
      ['serviceUrl with credentials', { serviceUrl: 'https://user:pw@smba.trafficmanager.net/amer/' }],
      ['serviceUrl a number', { serviceUrl: 42 }],
      ['null conversation', { conversation: null }],
      ['conversation without id', { conversation: { conversationType: 'personal' } }],
      ['conversation id a number', { conversation: { id: 7 } }],
      ['type a number', { type: 5 }],
      ['no channelId', { channelId: undefined }],
      ['null channelId', { channelId: null }],
      ['empty channelId', { channelId: ' ' }],
      ['id an object', { id: { x: 1 } }],
      ['no from', { from: undefined }],
      ['from.id a number', { from: { id: 12 } }],
      ['text an array', { text: ['a'] }],
      ['entities not a list', { entities: 'x' }],
      ['submit value a string', { value: 'approve' }],
      ['card action value a string', { type: 'invoke', name: 'adaptiveCard/action', value: 'x', text: undefined }],
      ['token exchange value missing', { type: 'invoke', name: 'signin/tokenExchange', text: undefined }],
    ];
    for (const [name, change] of cases) {
      const r = await edge.post(edge.activity(change));
      assert.equal(r.status, 400, `${name}: ${r.text}`);
      const body = JSON.parse(r.text) as { error: string };
      assert.ok(typeof body.error === 'string' && body.error.length < 120, name);
    }
    assert.equal(edge.turns.length, 0, 'botbuilder never ran a turn');
    assert.deepEqual(edge.connector.seen, [], 'nothing was sent anywhere');
  });

  it('answers malformed JSON and non-objects with 400 in its own words', async () => {
    for (const body of ['{"type":', '[1,2]', '"text"', '']) {
      const r = await edge.post(body);
      assert.equal(r.status, 400, body);
      assert.deepEqual(Object.keys(JSON.parse(r.text) as object), ['error']);
      assert.doesNotMatch(r.text, /InvalidContent|Unexpected/);
    }
    assert.equal(edge.turns.length, 0);
  });
});
