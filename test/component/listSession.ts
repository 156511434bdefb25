// The "my approvals" / "my requests" list card as the lists.*.test.ts files read and press it: its
// rows, each row's heading, facts and buttons, and a fresh handler rig (botRig.ts) per test with
// the turns that ask for a list and press one of its buttons.

import { Activity } from 'botbuilder';
import { Rig, User } from './botRig';
import { rigPerTest } from './rigPerTest';

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
  actions?: Array<{ title: string; data: Record<string, unknown> }>;
}

export const contentOf = (a: Partial<Activity> | undefined): ListContent =>
  (a?.attachments?.[0]?.content ?? { body: [] }) as ListContent;
export const rowsOf = (c: ListContent): Row[] => c.body.filter((b) => b.type === 'Container') as unknown as Row[];
export const headings = (c: ListContent): string[] => rowsOf(c).map(headingOf);
export const buttonsOf = (r: Row): Array<Record<string, unknown>> =>
  (r.items.find((i) => (i as { type?: string }).type === 'ActionSet')?.actions ?? []) as Array<Record<string, unknown>>;

/** A fresh rig per test (rigPerTest.ts, handed to `use`), and the turns that ask it for a list and
 * press a button of one. */
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

  async function press(user: User, cardId: string, data: Record<string, unknown>) {
    const value = { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' };
    const r = await rig.invoke(user, 'adaptiveCard/action', value, { replyToId: cardId });
    return r.invoke?.body as { statusCode: number; type: string; value: ListContent };
  }

  return { list, press };
}
