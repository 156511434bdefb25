// Two turns of one list card at once, as the lists.turns*.test.ts files race them: Megan's card
// paged on to the page whose More reads Graph's next page, that read held until the test lets it
// go, and the check that the card everyone sees, the list kept and the rows bound are one page.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { pageOf } from '../../src/bot/listCards';
import type { WorkItem } from '../../src/domain/myWork';
import { tenantFetch } from '../../src/sandbox/server';
import { ListCards } from '../../src/state/listCards';
import { GRAPH, Rig, User } from './botRig';
import { ListContent, buttonsOf, contentOf, factsOf, pageButtons, pageToGraph, rowsOf } from './listSession';
import { pressOf } from '../fixtures/pressedData';

type Press = (
  user: User,
  cardId: string,
  data: Record<string, unknown>,
) => Promise<{ statusCode: number; type: string; value: ListContent }>;
type List = (
  user: User,
  text: string,
) => Promise<{ card: { id?: string; conversation?: { id: string } }; content: ListContent }>;

export const action = (c: ListContent, title: string) => pageButtons(c).find((a) => a.title === title)?.data;
/** The request ids of the rows a card shows, lower case. */
export const idsShown = (c: ListContent): string[] =>
  rowsOf(c).map((row) => (factsOf(row).find((f) => f.title === 'requestId')?.value ?? '').toLowerCase());

/** Waits (checking every few milliseconds, at most 5 s) until `ready` holds. */
export async function until(ready: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await ready()) return;
    await new Promise((res) => setTimeout(res, 5));
  }
  assert.fail(`waited in vain: ${what}`);
}

/** The race's parts on `r`, for `megan`'s list (`list`, `press` from listSession). */
export function listRace(r: Rig, megan: User, list: List, press: Press) {
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

  /** The kept list's page, the rows bound and the rows of the card everyone sees (the last of
   * `updates` to the card, from every instance) agree; a row shown with an Approve acts. The list
   * as it was kept, and the card everyone saw, before that Approve. */
  async function agree(conversationId: string, cardId: string, updates: Array<Partial<Activity>> = r.updates) {
    await r.bot.idle();
    const kept = await saved(conversationId, cardId);
    assert.ok(kept, 'the list is kept');
    const page = pageOf(kept).map((i) => i.requestId.toLowerCase());
    const bound = ((await r.bindings.itemsOf(conversationId, cardId)) ?? []).map((b) =>
      (b.ids.requestId ?? '').toLowerCase(),
    );
    const everyone = contentOf(updates.filter((u) => u.id === cardId).at(-1));
    assert.deepEqual(idsShown(everyone), page, 'the card everyone sees shows the page kept');
    assert.deepEqual(bound, page, 'the card is bound to the rows it shows');
    const row = rowsOf(everyone).find((x) => buttonsOf(x).some((b) => b.title === 'Approve'));
    assert.ok(row, 'a row to approve on the card');
    const approve = buttonsOf(row)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const answer = await press(megan, cardId, approve);
    assert.equal(answer.statusCode, 200, JSON.stringify(answer));
    assert.match(JSON.stringify(answer.value), /Approved by Megan Bowen/);
    return { kept, everyone };
  }

  return { atGraphPage, holdBatch, saved, agree };
}
