// The cards that quote what Microsoft Graph names of an item stay under the budget of a list card
// whatever Graph sends: the state a refusal's message or the read after it names, and the
// request-id of its answer, are shown in the error card a command gets, the words a pressed card
// shows and the "actions taken" alert. Graph bounds none of them; a state of one letter and
// thousands of combining marks is a single grapheme (https://www.unicode.org/reports/tr29/), so
// only a cut by UTF-16 units as well makes such a card fit, and the cut shows "…".
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages

import { strict as assert } from 'node:assert';
import { LIST_CARD_BYTES } from '../../src/bot/listCards';
import { createReplyCards } from '../../src/bot/replyCards';
import type { AuditLine } from '../../src/domain/governance';
import { GovernanceService } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { actionAlertOf } from './alerts.actionAlertOf';

const BASE = 'https://graph.example';
const W = '14879e66-9ea9-48d0-804d-8fea672d0341';
const RUN = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';
const TARGET: Target = { operation: 'cancelWorkflowRun', ids: { workflowId: W, runId: RUN } };

/** "e" and 20,000 nonspacing marks (U+0301): one grapheme of 40 KB in UTF-8. */
const MARKED = `e${'\u0301'.repeat(20_000)}`;
/** 30,000 letters: the state a refusal's "current state is …" names is read as letters. */
const LETTERS = 'A'.repeat(30_000);
/** A request-id of 5,000 family emoji ZWJ sequences (each one grapheme of 25 bytes) and quotes,
 * which JSON escapes. */
const REQUEST_ID = '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}"'.repeat(5_000);

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A Graph that refuses the cancel (409), naming `state` when there is one (else the bot reads
 * it), and answers that read with `readState`, or fails it when there is none. */
function graphSaying(state: string | null, readState: string | null): GraphGateway {
  const fetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if ((init?.method ?? 'GET') === 'POST')
      return json(409, {
        error: {
          code: 'Conflict',
          message: `The run cannot be cancelled${state ? `: its current state is ${state}` : ''}.`,
          innerError: { 'request-id': REQUEST_ID },
        },
      });
    void url;
    return readState === null
      ? json(503, { error: { code: 'ServiceUnavailable', message: 'busy' } })
      : json(200, { id: RUN, processingStatus: readState });
  };
  return new GraphGateway({ graphEndpoint: BASE, fetch: fetch as never, sleep: async () => undefined });
}

const bytes = (r: { attachment: unknown; summary: string }): number =>
  Buffer.byteLength(JSON.stringify({ type: 'message', attachments: [r.attachment], summary: r.summary }), 'utf8');

async function cardsOf(graph: GraphGateway) {
  const lines: AuditLine[] = [];
  const svc = new GovernanceService({ cloud: 'global', graph, audit: (l) => lines.push(l), newId: () => 'c1' });
  const outcome = await svc.perform(TARGET, { aadObjectId: 'megan', getToken: async () => 'token' });
  assert.ok(!outcome.ok);
  const cards = createReplyCards({ cloud: 'global', examples: null });
  const line = lines[0];
  assert.ok(line);
  return {
    typed: cards.outcome(outcome, 'Megan Bowen'),
    pressed: cards.item(TARGET, { text: '', notice: cards.errorWords(outcome.error, TARGET), settled: true }),
    alert: JSON.parse(await actionAlertOf(line)) as { attachment: unknown; summary: string },
  };
}

describe('cards in Teams: cards quoting the state and request-id Graph names', () => {
  for (const [named, graph] of [
    ['the read after a refusal naming no state finds one grapheme of 40 KB', () => graphSaying(null, MARKED)],
    ['the refusal names a state of 30,000 letters, so no read is made', () => graphSaying(LETTERS, null)],
  ] as const)
    it(`${named}: the error card, the pressed card's words and the alert fit, cut with "…"`, async () => {
      const cards = await cardsOf(graph());
      for (const [which, card] of Object.entries(cards))
        assert.ok(bytes(card) <= LIST_CARD_BYTES, `${which}: ${bytes(card)} bytes > ${LIST_CARD_BYTES}`);
      // The alert names no state for a refusal: its words are the same for every state.
      for (const card of [cards.typed, cards.pressed])
        assert.match(JSON.stringify(card.attachment), /(A|\u0301)\u2026/, 'the state is cut visibly');
      // The read after the refusal answered last: its request-id (none) is the one quoted then.
      if (named.startsWith('the refusal'))
        for (const card of [cards.typed, cards.alert])
          assert.match(JSON.stringify(card.attachment), /(\u{1F466}|\\")\u2026/u, 'the request-id is cut visibly');
    });
});
