// config/fetch and config/submit (the bot configuration experience) take a config response:
// `{ config: { type: 'continue', value: <dialog> } }` or `type: 'auth'` for config/fetch, and
// `type: 'continue'` or `type: 'message'` for config/submit, never a Universal Actions card:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/bot-configuration-experience
// Governance Bot has nothing to configure there: config/fetch opens a dialog saying so, and
// config/submit answers with a message.

import { strict as assert } from 'node:assert';
import { failedInvokeResponse } from '../../src/bot/invokeResponses';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

interface ConfigBody {
  responseType?: unknown;
  statusCode?: unknown;
  config?: {
    type?: unknown;
    value?: { card?: { contentType?: unknown; content?: unknown }; title?: unknown } | string;
  };
}

describe('bot configuration invokes get a config response', () => {
  let rig: Rig;
  rigPerTest((r) => (rig = r));

  it('config/fetch: a continue response holding a dialog card that says nothing is configured here', async () => {
    const { invoke, sent } = await rig.invoke(rig.user(0), 'config/fetch', {});
    assert.equal(invoke?.status, 200);
    const body = invoke?.body as ConfigBody;
    assert.equal(body.statusCode, undefined, 'no Universal Actions body');
    assert.equal(body.config?.type, 'continue');
    const value = body.config?.value as { card?: { contentType?: unknown; content?: unknown }; title?: unknown };
    assert.equal(value.card?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(value.card?.content), /Nothing was done/);
    assert.equal(typeof value.title, 'string');
    assert.deepEqual(sent, []);
  });

  it('config/submit: a message response', async () => {
    const { invoke } = await rig.invoke(rig.user(0), 'config/submit', { data: {} });
    assert.equal(invoke?.status, 200);
    const body = invoke?.body as ConfigBody;
    assert.equal(body.config?.type, 'message');
    assert.match(String(body.config?.value), /Nothing was done/);
  });

  it('a config invoke that failed inside the bot: the same shapes, with the reference', () => {
    const fetch = failedInvokeResponse('config/fetch', {}, 'ref-789').body as ConfigBody;
    assert.equal(fetch.config?.type, 'continue');
    assert.match(JSON.stringify(fetch.config?.value), /ref-789/);
    const submit = failedInvokeResponse('config/submit', {}, 'ref-790').body as ConfigBody;
    assert.equal(submit.config?.type, 'message');
    assert.match(String(submit.config?.value), /ref-790/);
  });
});
