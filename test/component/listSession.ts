// The "my approvals" / "my requests" list card as the lists.*.test.ts files read and press it: its
// rows, each row's heading, facts and buttons, and a fresh handler rig (botRig.ts) per test with
// the turns that ask for a list and press one of its buttons; and a list longer than Graph's page,
// paged on up to the More that needs Graph's next page.

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import type { WorkItem } from '../../src/domain/myWork';
import type { Target } from '../../src/domain/operations';
import { ListCards } from '../../src/state/listCards';
import { Rig, User } from './botRig';
import { rigPerTest } from './rigPerTest';
import { buttonsOf as cardButtonsOf } from '../fixtures/cardButtons';
import { pressOf } from '../fixtures/pressedData';

// Text from Graph sits in TextRuns of RichTextBlocks, which Teams shows as plain text; a fact is
// a bold "title: " run and a value run (cardsTeams.plainText.test.ts).
interface Run {
  text: string;
}
export interface Row {
  items: Array<{
    inlines?: Run[];
    items?: Array<{ inlines?: Run[] }>;
    actions?: Array<Record<string, unknown>>;
  }>;
}
export const headingOf = (r: Row): string => r.items[0]?.inlines?.[0]?.text ?? '';
export const factsOf = (r: Row): Array<{ title: string; value: string }> =>
  (r.items[1]?.items ?? []).map((f) => ({
    title: (f.inlines?.[0]?.text ?? '').replace(/: $/, ''),
    value: f.inlines?.[1]?.text ?? '',
  }));
export interface ListContent {
  body: Array<Record<string, unknown>>;
}

export const contentOf = (a: Partial<Activity> | undefined): ListContent =>
  (a?.attachments?.[0]?.content ?? { body: [] }) as ListContent;
export const rowsOf = (c: ListContent): Row[] => c.body.filter((b) => b.type === 'Container') as unknown as Row[];
export const headings = (c: ListContent): string[] => rowsOf(c).map(headingOf);
export const buttonsOf = (r: Row): Array<Record<string, unknown>> =>
  (r.items.find((i) => (i as { type?: string }).type === 'ActionSet')?.actions ?? []) as Array<Record<string, unknown>>;
/** A row's request id (its requestId fact). */
export const requestIdOf = (r: Row): string => factsOf(r).find((f) => f.title === 'requestId')?.value ?? '';
/** The data of a row's Approve button, if it has one. */
export const approveOf = (r: Row): Record<string, unknown> | undefined =>
  buttonsOf(r)
    .flatMap(pressOf)
    .find((b) => b.title === 'Approve')?.data as Record<string, unknown> | undefined;
/** The data of the first row's Approve button. */
export const firstRowApprove = (c: ListContent): Record<string, unknown> =>
  buttonsOf(rowsOf(c)[0]!)
    .flatMap(pressOf)
    .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
/** The card's More button's data, if it has one. */
export const moreOf = (c: ListContent) => pageButtons(c).find((a) => a.title === 'More')?.data;
/** The card's own buttons (First page, Previous, More), in the ActionSet under its rows. */
export const pageButtons = (c: ListContent): Array<{ title: string; data: Record<string, unknown> }> =>
  cardButtonsOf(c);
/** The line under the title that counts the rows shown ("11-20 of 30"). */
export const subtitleOf = (c: ListContent): string => JSON.stringify(c.body[1]);
/** The Graph reads so far that followed a next page (`$skiptoken`). */
export const nextPageReads = (r: Rig) => r.tenant.graphRequests().filter((q) => /(%24|\$)skiptoken/.test(q.query));

/** Access package requests waiting for `approver` (Megan Bowen by default), more than Graph's page
 * of 25: a next page. Their ids start with `idPrefix`, their package is `packageName`. */
export function manyAccessRequests(
  r: Rig,
  { approver = 'Megan Bowen', idPrefix = '7999249e', packageName = 'Finance reports' } = {},
): void {
  for (let i = 0; i < 30; i++) {
    r.tenant.addAccessRequest({
      id: `${idPrefix}-249e-7999-9e24-99799e249${(0x100 + i).toString(16)}`,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: packageName,
      requestor: 'Adele Vance',
      requestType: 'userAdd',
      approvers: [approver],
      ageMinutes: 100 + i,
    });
  }
}

/** Pages a list card on from `content`, `more` pressing a More and answering the page it shows, up
 * to the More that needs Graph's next page (the rows read so far fill no further page): the card
 * as paged up to it, that More, and the first row of the page it leads to as the card counts rows
 * ("41-"). */
export async function pageToGraph(
  content: ListContent,
  more: (data: Record<string, unknown>) => Promise<ListContent>,
): Promise<{ content: ListContent; more: Record<string, unknown>; nextRow: string }> {
  for (;;) {
    const data = moreOf(content);
    assert.ok(data, 'a More that needs Graph is reached');
    const [, last, read] = /\d+-(\d+) of (\d+)/.exec(subtitleOf(content)) ?? [];
    if (Number(last) + 10 > Number(read)) return { content, more: data, nextRow: `${Number(last) + 1}-` };
    content = await more(data);
  }
}

/** `user` presses `data` (Action.Execute) on the list card `cardId`; `extra` goes into the invoke's
 * value (`authentication`, `state`). The invoke's answer. */
export async function pressList(
  rig: Rig,
  user: User,
  cardId: string,
  data: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const value = { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual', ...extra };
  const turn = await rig.invoke(user, 'adaptiveCard/action', value, { replyToId: cardId });
  return turn.invoke?.body as { statusCode: number; type: string; value: ListContent };
}

/** Megan (user 0) with more access package requests than Graph's page, her "my approvals" card
 * paged on (signed in) up to the More that needs Graph's next page; then "sign out", so the bot
 * holds no token for her, and the rig's sent, updates and Graph log emptied. The card's id, what
 * pageToGraph says, and Megan. */
export async function signedOutAtGraphPage(r: Rig) {
  const megan = r.user(0);
  manyAccessRequests(r);
  await r.signIn(megan);
  const { sent } = await r.message(megan, 'my approvals');
  const card = sent.find((a) => a.attachments?.length)!;
  const cardId = card.id!;
  // Page on while the rows read so far fill the next page (no token needed for those).
  const paged = await pageToGraph(contentOf(card), async (data) => (await pressList(r, megan, cardId, data)).value);
  // The bot no longer holds a token for Megan.
  await r.message(megan, 'sign out');
  r.sent.length = 0;
  r.updates.length = 0;
  r.tenant.clearLog();
  return { megan, cardId, ...paged };
}

/** A fresh rig per test (rigPerTest.ts, handed to `use`), the turns that ask it for a list and
 * press a button of one, and `user`'s "my approvals" list with its first access package request row
 * that has buttons (its approval, the simulated tenant's): the row, its request id and its Approve. */
export function listSession(use: (rig: Rig) => void) {
  let rig: Rig;
  rigPerTest((r) => {
    rig = r;
    use(r);
  });

  async function list(user: User, text: string): Promise<{ card: Partial<Activity>; content: ListContent }> {
    const { sent } = await rig.message(user, text);
    const card = sent.find((a) => a.attachments?.length)!;
    return { card, content: contentOf(card) };
  }

  async function accessPackageRow(user: User) {
    const { card, content } = await list(user, 'my approvals');
    const row = rowsOf(content).find((r) => approveOf(r)?.operation === 'decideAccessPackageApproval');
    assert.ok(row, 'the list shows an access package request with buttons');
    return { card, content, row, id: requestIdOf(row), approve: approveOf(row)! };
  }

  return {
    list,
    accessPackageRow,
    press: (user: User, cardId: string, data: Record<string, unknown>) => pressList(rig, user, cardId, data),
  };
}

/** Keeps the "my requests" list of `user`'s card `cardId` showing one role request row, `target`,
 * as a posted list does: a row's button is refused before sign-in when the card's list is gone
 * (lists.expiredSnapshot.test.ts) or does not show the row on its page (lists.bindFailed.test.ts). */
export async function keepRequestsShowing(r: Rig, user: User, cardId: string, target: Target): Promise<void> {
  const row: WorkItem = {
    kind: 'role',
    requestId: target.ids.requestId!,
    requester: null,
    what: null,
    justification: null,
    duration: null,
    createdAt: null,
    expiresAt: null,
  };
  await new ListCards<WorkItem>(r.state.records).save(r.conversationOf(user), cardId, {
    list: 'requests',
    userId: user.aadObjectId,
    items: [row],
    offset: 0,
    next: {},
    capped: [],
    problems: [],
    outcomes: {},
  });
}
