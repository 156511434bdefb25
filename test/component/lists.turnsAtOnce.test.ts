// Two page turns of one list card by its owner at once: Previous pressed while More still reads
// Graph's next page (on one instance or on two sharing the store). Each turn keeps the list with
// its page on screen and binds the card to that page's rows, two writes that land in any order
// when the store takes its time. Whichever turn's writes land last, the card everyone ends up
// seeing (the last update Teams took:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages),
// the list kept and the rows bound must be the same page: a row shown whose buttons are refused as
// not on the card cannot be decided until the next page turn. The presser's own copy is the
// invoke's answer (Universal Actions:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards).

import { strict as assert } from 'node:assert';
import type { WorkItem } from '../../src/domain/myWork';
import { tenantFetch } from '../../src/sandbox/server';
import { ListCards } from '../../src/state/listCards';
import { pageOf } from '../../src/bot/listCards';
import { holdNextWrite } from '../fixtures/heldWrite';
import { GRAPH, Rig, User } from './botRig';
import {
  ListContent,
  buttonsOf,
  contentOf,
  factsOf,
  listSession,
  manyAccessRequests,
  pageToGraph,
  rowsOf,
} from './listSession';

const action = (c: ListContent, title: string) => c.actions?.find((a) => a.title === title)?.data;
const idsShown = (c: ListContent): string[] =>
  rowsOf(c).map((row) => (factsOf(row).find((f) => f.title === 'requestId')?.value ?? '').toLowerCase());

/** Waits (checking every few milliseconds, at most 5 s) until `ready` holds. */
async function until(ready: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await ready()) return;
    await new Promise((res) => setTimeout(res, 5));
  }
  assert.fail(`waited in vain: ${what}`);
}

describe('two page turns of one list card at once leave the card and its buttons on the same rows', () => {
  let r: Rig;
  let megan: User;
  const { list, press } = listSession((rig) => {
    r = rig;
    megan = rig.user(0);
    manyAccessRequests(rig);
  });

  /** Megan's card paged on to the page whose More reads Graph's next page (a Previous on it). */
  async function atGraphPage() {
    const { card, content } = await list(megan, 'my approvals');
    const cardId = card.id!;
    const paged = await pageToGraph(content, async (data) => (await press(megan, cardId, data)).value);
    const previous = action(paged.content, 'Previous');
    assert.ok(previous, 'the page has a Previous');
    await r.bot.idle();
    return { cardId, conversationId: card.conversation!.id!, page: paged.content, more: paged.more, previous };
  }

  /** Holds More's read of the next pages (one JSON batch) until `release()`. */
  function holdBatch() {
    let release!: () => void;
    const released = new Promise<void>((res) => (release = res));
    let seen!: () => void;
    const reading = new Promise<void>((res) => (seen = res));
    const graph = tenantFetch(r.tenant, GRAPH);
    let once = false;
    r.hold = (req) => {
      if (once || !new URL(req.url).pathname.endsWith('/$batch')) return null;
      once = true;
      seen();
      return released.then(() => graph(req));
    };
    return { reading, release };
  }

  const saved = (conversationId: string, cardId: string) =>
    new ListCards<WorkItem>(r.state.records).get(conversationId, cardId);

  /** The kept list's page, the rows bound and the rows of the card everyone sees agree; a row
   * shown with an Approve acts. */
  async function agree(conversationId: string, cardId: string): Promise<void> {
    await r.bot.idle();
    const kept = await saved(conversationId, cardId);
    assert.ok(kept, 'the list is kept');
    const page = pageOf(kept).map((i) => i.requestId.toLowerCase());
    const bound = ((await r.bindings.itemsOf(conversationId, cardId)) ?? []).map((b) =>
      (b.ids.requestId ?? '').toLowerCase(),
    );
    const everyone = contentOf(r.updates.filter((u) => u.id === cardId).at(-1));
    assert.deepEqual(idsShown(everyone), page, 'the card everyone sees shows the page kept');
    assert.deepEqual(bound, page, 'the card is bound to the rows it shows');
    const row = rowsOf(everyone).find((x) => buttonsOf(x).some((b) => b.title === 'Approve'));
    assert.ok(row, 'a row to approve on the card');
    const approve = buttonsOf(row).find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const answer = await press(megan, cardId, approve);
    assert.equal(answer.statusCode, 200, JSON.stringify(answer));
    assert.match(JSON.stringify(answer.value), /Approved by Megan Bowen/);
  }

  it('Previous, pressed while More reads Graph, binds its rows last: More’s page, kept last, is bound', async () => {
    const { cardId, conversationId, more, previous } = await atGraphPage();
    const batch = holdBatch();
    const turning = press(megan, cardId, more);
    await batch.reading;

    const bind = holdNextWrite(r.state.records, 'card:');
    const back = press(megan, cardId, previous);
    await bind.reached;
    await until(async () => (await saved(conversationId, cardId))?.offset === previous.offset, 'Previous is kept');

    batch.release();
    assert.equal((await turning).statusCode, 200);
    bind.release();
    assert.equal((await back).statusCode, 200);
    await agree(conversationId, cardId);
  });

  it('More binds its rows last, after Previous turned the card back: Previous’s page is bound', async () => {
    const { cardId, conversationId, more, previous } = await atGraphPage();
    const batch = holdBatch();
    const turning = press(megan, cardId, more);
    await batch.reading;

    const bind = holdNextWrite(r.state.records, 'card:');
    batch.release();
    await bind.reached;
    await until(async () => (await saved(conversationId, cardId))?.offset === more.offset, 'More is kept');
    assert.equal((await press(megan, cardId, previous)).statusCode, 200);

    bind.release();
    assert.equal((await turning).statusCode, 200);
    await agree(conversationId, cardId);
  });

  /** Previous pressed while More reads Graph, its list kept only after More's: the card, and the
   * list as More kept it. */
  async function previousKeptLast() {
    const { cardId, conversationId, more, previous } = await atGraphPage();
    const batch = holdBatch();
    const turning = press(megan, cardId, more);
    await batch.reading;

    const keep = holdNextWrite(r.state.records, 'list:');
    const back = press(megan, cardId, previous);
    await keep.reached;

    batch.release();
    assert.equal((await turning).statusCode, 200);
    const afterMore = await saved(conversationId, cardId);
    keep.release();
    assert.equal((await back).statusCode, 200);
    return { cardId, conversationId, afterMore };
  }

  it('Previous, pressed while More reads Graph, keeps its page last: its page is bound', async () => {
    const { cardId, conversationId } = await previousKeptLast();
    await agree(conversationId, cardId);
  });

  it('Previous, kept after More read Graph’s next page, keeps the rows More read', async () => {
    // Previous began from the list before More's rows: kept as it began, the list would lose them
    // and go back to Graph's earlier next page, with fewer rows counted on the card.
    const { cardId, conversationId, afterMore } = await previousKeptLast();
    await r.bot.idle();
    const kept = await saved(conversationId, cardId);
    assert.ok(afterMore && kept);
    assert.deepEqual(
      kept.items.map((i) => i.requestId),
      afterMore.items.map((i) => i.requestId),
      'the rows More read stay',
    );
    assert.deepEqual(kept.next, afterMore.next, 'the next pages go on from More’s read');
    const everyone = contentOf(r.updates.filter((u) => u.id === cardId).at(-1));
    assert.match(JSON.stringify(everyone.body[1]), new RegExp(`of ${kept.items.length}\\b`));
  });
});
