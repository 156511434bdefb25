// Invokes Governance Bot does not handle are answered in the body Teams defines for each name,
// never a Universal Actions card where Teams waits for something else, and never a 501.
// A dialog invoke (task/fetch, task/submit, and a message extension's or a feedback button's
// fetchTask) takes a task module response, `{ task: { type: 'message', value } }`, whose value Teams
// shows in a popup: https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/task-modules/task-modules-bots
// A message extension's other invokes take `{ composeExtension: { type: 'message', text } }`:
// https://learn.microsoft.com/en-us/microsoftteams/platform/messaging-extensions/how-to/search-commands/respond-to-search

import { strict as assert } from 'node:assert';
import { failedInvokeResponse } from '../../src/bot/invokeResponses';
import { createReplyCards } from '../../src/bot/replyCards';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('invokes that are not the bot’s get the body Teams defines for their name', () => {
  let rig: Rig;
  rigPerTest((r) => (rig = r));

  for (const name of ['task/fetch', 'task/submit', 'composeExtension/fetchTask', 'message/fetchTask']) {
    it(`${name}: a task module message, not an Adaptive Card`, async () => {
      const { invoke, sent } = await rig.invoke(rig.user(0), name, { data: {} });
      assert.equal(invoke?.status, 200);
      const body = invoke?.body as { task?: { type?: unknown; value?: unknown }; statusCode?: unknown };
      assert.equal(body.statusCode, undefined, 'no Universal Actions body');
      assert.equal(body.task?.type, 'message');
      assert.equal(typeof body.task?.value, 'string');
      assert.match(String(body.task?.value), /Nothing was done\. Type "help" to see every command\./);
      assert.deepEqual(sent, []);
    });
  }

  for (const name of ['composeExtension/query', 'composeExtension/submitAction', 'composeExtension/queryLink']) {
    it(`${name}: a message extension message, not an Adaptive Card`, async () => {
      const { invoke } = await rig.invoke(rig.user(0), name, { commandId: 'x', parameters: [] });
      assert.equal(invoke?.status, 200);
      const body = invoke?.body as { composeExtension?: { type?: unknown; text?: unknown }; statusCode?: unknown };
      assert.equal(body.statusCode, undefined, 'no Universal Actions body');
      assert.equal(body.composeExtension?.type, 'message');
      assert.match(String(body.composeExtension?.text), /Nothing was done\./);
    });
  }

  it('an invoke with no name (an msteams invoke button) still gets a card', async () => {
    const { invoke } = await rig.invoke(rig.user(0), undefined as never, {});
    assert.equal(invoke?.status, 200);
    assert.equal((invoke?.body as { type?: unknown }).type, 'application/vnd.microsoft.card.adaptive');
  });

  it('a dialog invoke that failed inside the bot: a task module message with the reference', () => {
    const card = createReplyCards({ cloud: 'global', examples: null }).info('t', 'x');
    for (const name of ['task/fetch', 'task/submit']) {
      const answer = failedInvokeResponse(name, {}, 'ref-123', card);
      assert.equal(answer.status, 200);
      const body = answer.body as { task?: { type?: unknown; value?: unknown } };
      assert.equal(body.task?.type, 'message');
      assert.match(String(body.task?.value), /ref-123/);
    }
    const ext = failedInvokeResponse('composeExtension/query', {}, 'ref-456').body as {
      composeExtension?: { type?: unknown; text?: unknown };
    };
    assert.equal(ext.composeExtension?.type, 'message');
    assert.match(String(ext.composeExtension?.text), /ref-456/);
  });
});
