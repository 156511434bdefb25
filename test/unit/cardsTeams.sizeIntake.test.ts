// A notification card, and the channel alerts made of the same event (its card, its reminder, the
// digest's waiting list), is built from text the intake bounds in characters (code points):
// title 200, details 1000, duration 40, a directory name up to 256 shown as its first 199 and "…"
// (events.ts, eventFields.ts). A character weighs at most four UTF-8 bytes in the card's JSON, so
// that bound keeps the card under the budget of a list card whatever the text is, one long
// grapheme (a letter and hundreds of combining marks) included. One character more is refused
// (400) rather than cut, except a name, which is shortened with "…" and a notice.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages

import { strict as assert } from 'node:assert';
import { LIST_CARD_BYTES } from '../../src/bot/listCards';
import { eventCard } from '../../src/bot/replyCards';
import { digestCard } from '../../src/alerts/digest';
import { reminderCard } from '../../src/alerts/reminders';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';

const USER = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const W = '14879e66-9ea9-48d0-804d-8fea672d0341';
const T = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
const R = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';
const NOW = Date.UTC(2026, 2, 4, 10, 0, 0);

/** `n` code points as one grapheme of four UTF-8 bytes each: "e" and U+1D165 MUSICAL SYMBOL
 * COMBINING STEM (a nonspacing mark) n - 1 times. */
const marked = (n: number): string => `e${'\u{1D165}'.repeat(n - 1)}`;
/** `n` emoji, four UTF-8 bytes each, a ZWJ sequence's parts without its joiners. */
const emoji = (n: number): string => '\u{1F469}'.repeat(n);

/** Every free-text field of each kind at the most the intake takes (`grow` adds one character). */
function bodies(text: (n: number) => string, grow = 0): Array<Record<string, unknown>> {
  const common = { title: text(200 + grow), details: text(1000 + grow), target: { userId: USER } };
  return [
    {
      ...common,
      eventId: 'callout',
      kind: 'taskCallout',
      callout: {
        data: {
          subject: { displayName: text(256 + grow) },
          task: { displayName: text(256 + grow) },
          workflow: { displayName: text(256 + grow) },
          callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${W}/tasks/${T}/taskProcessingResults/${R}/microsoft.graph.identityGovernance.resume`,
        },
      },
    },
    ...(['roleApproval', 'groupRequest', 'accessApproval'] as const).map((kind) => ({
      ...common,
      eventId: kind,
      kind,
      requestId: REQUEST,
      principalName: text(256 + grow),
      roleName: text(256 + grow),
      groupName: text(256 + grow),
      accessPackageName: text(256 + grow),
      duration: text(40 + grow),
    })),
    { ...common, eventId: 'run', kind: 'workflowRun', workflowId: W, runId: R, workflowName: text(256 + grow) },
  ];
}

function parsed(body: Record<string, unknown>): NotificationEvent {
  const p = parseEvent(body, NOW);
  assert.ok(p.ok, p.ok ? '' : p.problems.join(' | '));
  return p.event;
}

const bytes = (r: { attachment: unknown; summary: string }): number =>
  Buffer.byteLength(JSON.stringify({ type: 'message', attachments: [r.attachment], summary: r.summary }), 'utf8');

describe('cards in Teams: a notification card of the longest text the intake takes', () => {
  for (const [named, text] of [
    ['one long grapheme', marked],
    ['emoji', emoji],
  ] as const)
    it(`fits with every free-text field at its limit (${named}), its names cut with "…"`, () => {
      for (const body of bodies(text)) {
        const event = parsed(body);
        const card = eventCard(event, NOW);
        assert.ok(bytes(card) <= LIST_CARD_BYTES, `${String(body.kind)}: ${bytes(card)} bytes > ${LIST_CARD_BYTES}`);
        assert.match(JSON.stringify(card.attachment), /\u2026/, `${String(body.kind)}: a name is cut visibly`);
        // The reminder a channel gets of it carries its words and facts.
        const reminder = reminderCard(
          {
            approval: { kind: 'roleRequest', requestId: REQUEST, title: event.text, facts: event.facts } as never,
            expiresAt: NOW + 3_600_000,
          },
          NOW,
        );
        assert.ok(bytes(reminder) <= LIST_CARD_BYTES, `reminder: ${bytes(reminder)} bytes`);
      }
    });

  it("a digest's waiting list of such titles fits", () => {
    const waiting = Array.from({ length: 20 }, (_, i) => ({
      key: `k${i}`,
      category: 'roleRequests' as const,
      title: marked(200),
      since: NOW - 3_600_000,
    }));
    const card = digestCard(['roleRequests'], { date: '2026-03-03', counts: {} }, waiting as never, NOW);
    assert.ok(bytes(card) <= LIST_CARD_BYTES, `${bytes(card)} bytes > ${LIST_CARD_BYTES}`);
  });

  it('refuses one character more in any free text the sender writes, and a name past 256', () => {
    for (const body of bodies(marked, 1)) {
      const p = parseEvent(body, NOW);
      assert.ok(!p.ok, String(body.kind));
      const said = p.problems.join(' | ');
      assert.match(said, /title must be at most 200 characters/, said);
      assert.match(said, /details must be at most 1000 characters/, said);
      assert.match(said, /must be at most 256 characters/, said);
      if ('duration' in body) assert.match(said, /duration must be at most 40 characters/, said);
    }
  });
});
