// A list card's button that cannot go on (its snapshot is gone) names the list command to send for
// a new list: someone who pressed a button typed no command, and in a channel the list may be
// someone else's. The button's data names its list. "More" that needs Graph's next page while the
// presser holds no token is not such a button: it asks for sign-in as a row's button does
// (lists.moreSignIn.test.ts). Universal Actions: the action's data comes back with the press.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards

import { strict as assert } from 'node:assert';
import { LIST_VERB } from '../../src/bot/listCards';
import type { WorkItem } from '../../src/domain/myWork';
import { ListCards } from '../../src/state/listCards';
import { Rig, User } from './botRig';
import { contentOf, firstRowApprove } from './listSession';
import { rigPerTest } from './rigPerTest';

const press = (r: Rig, user: User, cardId: string, data: Record<string, unknown>) =>
  r.invoke(
    user,
    'adaptiveCard/action',
    { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' },
    {
      replyToId: cardId,
    },
  );

describe('a list card button that cannot go on names the list command', () => {
  describe('signed in', () => {
    let r: Rig;
    rigPerTest((rig) => (r = rig));

    it('a row’s Approve on a list whose snapshot is gone: send "my approvals" again', async () => {
      const megan = r.user(0);
      const { sent } = await r.message(megan, 'my approvals');
      const card = sent.find((a) => a.attachments?.length)!;
      const approve = firstRowApprove(contentOf(card));
      assert.ok(await r.state.records.delete(`list:${r.conversationOf(megan)}:${card.id!}`));
      const said = JSON.stringify((await press(r, megan, card.id!, approve)).invoke?.body);
      assert.match(said, /too old to act on/);
      assert.match(said, /Send \\"my approvals\\" again for a new list/);
      assert.doesNotMatch(said, /send the command again/i);
    });

    it('"More" on a list whose snapshot is gone: send "my requests" again', async () => {
      const megan = r.user(0);
      const said = JSON.stringify(
        (await press(r, megan, 'gone-card', { verb: LIST_VERB, list: 'requests' })).invoke?.body,
      );
      assert.match(said, /too old to page through/);
      assert.match(said, /Send \\"my requests\\" again for a new list/);
      assert.doesNotMatch(said, /send the command again/i);
    });
  });

  describe('without a token', () => {
    let r: Rig;
    rigPerTest((rig) => (r = rig), {});

    it('"More" that needs Graph’s next page: a loginRequest, not the list command', async () => {
      const megan = r.user(0);
      // A list whose shown rows are all read, with a next page Graph offered.
      await new ListCards<WorkItem>(r.state.records).save(r.conversationOf(megan), 'list-1', {
        list: 'approvals',
        userId: megan.aadObjectId,
        items: [],
        offset: 0,
        next: { role: 'https://127.0.0.1:9443/v1.0/next' },
        capped: [],
        problems: [],
        outcomes: {},
      });
      const body = (await press(r, megan, 'list-1', { verb: LIST_VERB, list: 'approvals' })).invoke?.body as {
        statusCode: number;
        type: string;
      };
      assert.equal(body.statusCode, 401, JSON.stringify(body));
      assert.equal(body.type, 'application/vnd.microsoft.activity.loginRequest');
      assert.doesNotMatch(JSON.stringify(body), /send the command again|Send \\"my approvals\\" again/i);
      assert.equal(r.tenant.graphRequests().length, 0);
    });
  });
});
