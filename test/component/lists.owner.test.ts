// A list card is its owner's: "my approvals" in a group chat or a channel posts one message every
// member sees, and every member's client can press its buttons. Only the person who asked for the
// list turns its pages or acts on its rows. Anyone else's press reads nothing from Graph, writes
// nothing, leaves the card (and its saved rows and bindings) as it is, and is told whose list it is
// and how to get their own. Universal Actions sends each member's press to the bot as that member
// (`from`), the action's data being the card's, whoever pressed; Action.Submit (clients without
// Universal Actions) arrives as a message from the presser:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions#action-submit
// A member's press answered with an error leaves the card as it is (only an Adaptive Card answer
// replaces it, for the presser):
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/user-specific-views

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import type { WorkItem } from '../../src/domain/myWork';
import { ListCards } from '../../src/state/listCards';
import { failNextWrite } from '../fixtures/failedWrite';
import { Rig, User, cardsOf } from './botRig';
import {
  ListContent,
  buttonsOf,
  contentOf,
  firstRowApprove,
  headingOf,
  manyAccessRequests,
  moreOf,
  pageToGraph,
  rowsOf,
  pageButtons,
} from './listSession';
import { rigPerTest } from './rigPerTest';
import { pressOf } from '../fixtures/pressedData';

const GROUP = 'a:group-ops';
/** An access package request both Megan and Lynne may approve, the newest of Megan's list. */
const SHARED_ID = '9999249e-249e-7999-9e24-99799e249001';
const SHARED_ROW = 'Access package · Shared package';
const NOT_YOURS = /This list is Megan Bowen's\. Send \\?"my approvals\\?" to see yours\./;

/** More access package requests waiting for `approver` than Graph's page of 25, in a package named
 * for them. */
const manyFor = (r: Rig, approver: string, idPrefix: string) =>
  manyAccessRequests(r, { approver, idPrefix, packageName: `${approver}'s package` });

describe('a list card in a group chat is its owner’s', () => {
  let r: Rig;
  let megan: User;
  let lynne: User;
  rigPerTest((rig) => {
    r = rig;
    megan = rig.user(0);
    lynne = rig.user(5);
    manyFor(rig, 'Megan Bowen', '7999249e');
    manyFor(rig, 'Lynne Robbins', '8999249e');
  });

  /** A turn in the group chat, from `user`. */
  const inGroup = (extra: Partial<Activity>): Partial<Activity> => ({
    conversation: { id: GROUP, conversationType: 'groupChat', tenantId: r.seed.tenantId, isGroup: true, name: 'Ops' },
    ...extra,
  });
  const press = async (user: User, cardId: string, data: Record<string, unknown>) => {
    const value = { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' };
    const turn = await r.invoke(user, 'adaptiveCard/action', value, inGroup({ replyToId: cardId }));
    return turn.invoke?.body as { statusCode: number; type: string; value: ListContent };
  };
  const snapshot = (cardId: string) => new ListCards<WorkItem>(r.state.records).get(GROUP, cardId);

  /** Megan's list posted in the group chat, paged on (as Megan) up to the More that needs Graph. */
  async function meganPagedToGraph(): Promise<{ cardId: string; content: ListContent; more: Record<string, unknown> }> {
    const { sent } = await r.message(megan, 'my approvals', inGroup({}));
    const card = sent.find((a) => a.attachments?.length)!;
    const { content, more } = await pageToGraph(
      contentOf(card),
      async (data) => (await press(megan, card.id!, data)).value,
    );
    return { cardId: card.id!, content, more };
  }

  /** Lynne is signed in (her list reads, were she to ask for it, need no prompt). */
  async function lynneSignedIn(): Promise<void> {
    await r.message(lynne, 'my approvals');
    await r.bot.idle();
    r.sent.length = 0;
    r.updates.length = 0;
    r.tenant.clearLog();
  }

  it("More past the rows read, pressed by another member: no Graph read as them, the card and its rows stay Megan's", async () => {
    const { cardId, more } = await meganPagedToGraph();
    const before = await snapshot(cardId);
    await lynneSignedIn();

    const answer = await press(lynne, cardId, more);
    assert.equal(answer.statusCode, 400, answer.type);
    assert.match(JSON.stringify(answer.value), NOT_YOURS);
    assert.doesNotMatch(JSON.stringify(answer.value), /Lynne Robbins's package/);
    assert.deepEqual(r.tenant.graphRequests(), [], 'nothing read from Graph, as Lynne or anyone');
    await r.bot.idle();
    assert.deepEqual(r.updates, [], 'the card is not edited');
    assert.deepEqual(await snapshot(cardId), before, 'the saved rows are unchanged');

    // Megan's own More still reads her next page, as her.
    const own = await press(megan, cardId, more);
    assert.equal(own.statusCode, 200, own.type);
    // The reads themselves (a JSON batch's envelope carries no read of its own).
    const reads = r.tenant.graphRequests().filter((q) => !q.path.endsWith('/$batch'));
    assert.ok(reads.length > 0);
    assert.ok(reads.every((q) => q.tokenClaims?.oid === megan.aadObjectId));
    assert.doesNotMatch(JSON.stringify(own.value), /Lynne Robbins's package/);
  });

  it('More pressed by another member on a client without Universal Actions: told whose list it is, nothing read', async () => {
    const { cardId, more } = await meganPagedToGraph();
    await lynneSignedIn();
    const submitted = await r.message(lynne, '', inGroup({ text: undefined, value: more, replyToId: cardId }));
    assert.match(cardsOf(submitted.sent), NOT_YOURS);
    assert.deepEqual(r.tenant.graphRequests(), []);
    await r.bot.idle();
    assert.deepEqual(r.updates, []);
  });

  it('Previous pressed by another member: the card stays on the page its owner turned to', async () => {
    const { cardId, content } = await meganPagedToGraph();
    const previous = pageButtons(content).find((a) => a.title === 'Previous')?.data;
    assert.ok(previous);
    const before = await snapshot(cardId);
    await lynneSignedIn();

    const answer = await press(lynne, cardId, previous);
    assert.equal(answer.statusCode, 400, answer.type);
    assert.match(JSON.stringify(answer.value), NOT_YOURS);
    await r.bot.idle();
    assert.deepEqual(r.updates, [], 'the card is not edited');
    assert.deepEqual(await snapshot(cardId), before, 'the page and its bound rows are unchanged');
  });

  it("a row's Approve pressed by another approver of that request: nothing decided from Megan's card", async () => {
    r.tenant.addAccessRequest({
      id: SHARED_ID,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Shared package',
      requestor: 'Adele Vance',
      requestType: 'userAdd',
      approvers: ['Megan Bowen', 'Lynne Robbins'],
      ageMinutes: 1,
    });
    const { sent } = await r.message(megan, 'my approvals', inGroup({}));
    const card = sent.find((a) => a.attachments?.length)!;
    // Megan pages on to the row.
    let content = contentOf(card);
    let row = rowsOf(content).find((x) => headingOf(x) === SHARED_ROW);
    while (!row) {
      const more = moreOf(content);
      assert.ok(more, `Megan's list shows ${SHARED_ROW}`);
      content = (await press(megan, card.id!, more)).value;
      row = rowsOf(content).find((x) => headingOf(x) === SHARED_ROW);
    }
    const approve = buttonsOf(row)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const before = await snapshot(card.id!);
    await lynneSignedIn();
    const auditsBefore = r.logs.filter((l) => l.event === 'governance.action').length;

    const answer = await press(lynne, card.id!, approve);
    // Audited as any refused click: Lynne's, refused before Graph.
    const audits = r.logs.filter((l) => l.event === 'governance.action').slice(auditsBefore);
    assert.equal(audits.length, 1);
    assert.equal(audits[0]!.userId, lynne.aadObjectId);
    assert.equal(audits[0]!.errorCode, 'NOT_PERMITTED');
    assert.equal(audits[0]!.refused, 'notListOwner');
    assert.equal(audits[0]!.graphStatus, null);
    assert.equal(answer.statusCode, 400, answer.type);
    assert.match(JSON.stringify(answer.value), NOT_YOURS);
    assert.deepEqual(r.tenant.graphRequests(), [], 'nothing read or written as Lynne');
    assert.equal(r.tenant.getAccessRequest(SHARED_ID)?.state, 'pendingApproval');
    await r.bot.idle();
    assert.deepEqual(r.updates, []);
    assert.deepEqual(await snapshot(card.id!), before);

    // Megan's own press decides it, as her.
    const own = await press(megan, card.id!, approve);
    assert.equal(own.statusCode, 200, own.type);
    assert.match(JSON.stringify(own.value), /Approved by Megan Bowen/);
  });
  it("a row of the page kept pressed by another member while the card's binding lags it: nothing is bound as them", async () => {
    // Megan turns the page; the list is kept with its second page, its binding write fails, so the
    // card stays bound to the first page (a turn's two writes, lists.bindFailed).
    const { sent } = await r.message(megan, 'my approvals', inGroup({}));
    const card = sent.find((a) => a.attachments?.length)!;
    const cardId = card.id!;
    failNextWrite(r.state.records, 'card:');
    const turned = await press(megan, cardId, moreOf(contentOf(card))!);
    assert.match(JSON.stringify(turned.value), /Something went wrong/, 'the page turn failed');
    await r.bot.idle();
    // Megan's press on a row of the first page answers with the page kept, whose rows she sees.
    const shown = (await press(megan, cardId, firstRowApprove(contentOf(card)))).value;
    const key = `card:${GROUP}:${cardId}`;
    const before = await r.state.records.get(key);
    await lynneSignedIn();

    const row = buttonsOf(rowsOf(shown)[0]!)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const answer = await press(lynne, cardId, row);
    assert.equal(answer.statusCode, 400, answer.type);
    assert.match(JSON.stringify(answer.value), NOT_YOURS);
    assert.equal(r.logs.filter((l) => l.event === 'governance.action').at(-1)?.refused, 'notListOwner');
    assert.deepEqual(r.tenant.graphRequests(), []);
    const after = await r.state.records.get(key);
    assert.equal(after?.version, before?.version, "the card's binding was written by another member's press");
    assert.deepEqual(after?.value, before?.value);

    // Megan's own press binds the card to the page kept and decides the row, as her.
    const own = await press(megan, cardId, row);
    assert.equal(own.statusCode, 200, own.type);
    assert.match(JSON.stringify(rowsOf(own.value)[0]), /Approved by Megan Bowen/);
  });
});
