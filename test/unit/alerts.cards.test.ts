// The alert cards (alert, alertReminder, alertDigest, alertSettings, welcome): each renders as an
// Adaptive Card 1.5 the adaptivecards library accepts, with nothing left unbound, and says what
// the feature promises (failed and refused actions marked, names and request-id shown, one toggle
// per category with an Action.Execute `alerts.save`).
// Universal Actions: https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/overview

import { strict as assert } from 'node:assert';
import { FinishedAction, actionAlertCard, actionEventId, outcomeOfError } from '../../src/alerts/actionFeed';
import { renderAlertCard, settingsCard, welcomeCard } from '../../src/alerts/cards';
import { carriedChoices } from '../../src/alerts/settingsChoices';
import { CATEGORIES, CATEGORY_IDS } from '../../src/alerts/categories';
import { digestCard } from '../../src/alerts/digest';
import { reminderCard } from '../../src/alerts/reminders';
import { ERROR_CODES } from '../../src/domain/errors';
import { CATALOG, OPERATION_NAMES } from '../../src/domain/operations';
import { libraryProblems } from './cardsTeams.cardWalk';
import { buttonsOf } from '../fixtures/cardButtons';

function checked(card: { content: Record<string, unknown> }): string {
  assert.deepEqual(libraryProblems(card.content), [], 'the Adaptive Cards library accepts the card');
  const s = JSON.stringify(card.content);
  assert.doesNotMatch(s, /\$\{/, 'no unbound expression');
  assert.equal(card.content.version, '1.5');
  return s;
}

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const base: FinishedAction = {
  actionId: 'corr-42',
  operation: 'cancelRoleRequest',
  ids: { requestId: ID },
  itemNames: { Role: 'Global Reader', Principal: 'Adele Vance' },
  actor: { name: 'Megan Bowen', id: 'aad-megan' },
  outcome: 'succeeded',
  graphRequestId: 'req-77',
  at: Date.UTC(2026, 2, 4, 9, 30, 0),
  via: 'chat',
};

describe('alerts: cards', () => {
  it('renders an action alert with who, what, which item by name, outcome, request-id and time', () => {
    const { attachment, summary } = actionAlertCard(base);
    const s = checked(attachment);
    for (const want of ['Megan Bowen', 'Global Reader', 'Adele Vance', ID, 'req-77', '2026-03-04 09:30:00 UTC']) {
      assert.ok(s.includes(want), want);
    }
    assert.match(s, /Succeeded/);
    assert.match(s, /Actions taken through the bot/);
    assert.ok(summary.length > 0 && summary.length <= 120);
    assert.equal(actionEventId(base), 'action:corr-42');
    assert.equal(actionEventId({ actionId: 'a b/c' }), 'action:a_b_c');
  });

  it('marks failed and refused actions as such, with the error code', () => {
    const failed = checked(
      actionAlertCard({ ...base, outcome: 'failed', errorCode: 'UPSTREAM', mayHaveTakenEffect: true }).attachment,
    );
    assert.match(failed, /Failed: it may or may not have taken effect/);
    assert.match(failed, /tried to cancel/);
    assert.match(failed, /UPSTREAM/);
    assert.match(failed, /"style":"attention"/);
    const refused = checked(
      actionAlertCard({ ...base, outcome: 'refused', errorCode: 'NOT_PERMITTED', graphRequestId: null }).attachment,
    );
    assert.match(refused, /Refused: nothing was changed/);
    assert.match(refused, /no Graph call answered/);
    for (const code of ERROR_CODES) assert.ok(['failed', 'refused'].includes(outcomeOfError(code)));
    assert.equal(outcomeOfError('THROTTLED'), 'failed');
    assert.equal(outcomeOfError('NOT_PERMITTED'), 'refused');
  });

  // "tried to decide the PIM role request as approved (refused)" read as if it was approved.
  it('names a refused decision by what was tried, not by the state it would have made', () => {
    const decide = { ...base, operation: 'decideRoleApproval' as const, outcome: 'refused' as const };
    const tried = actionAlertCard({ ...decide, decision: 'approve', errorCode: 'NOT_PERMITTED' });
    assert.match(tried.summary, /^Megan Bowen tried to approve the PIM role request "Global Reader"/);
    assert.doesNotMatch(JSON.stringify(tried.attachment.content), /as approved/);
    const denied = actionAlertCard({ ...decide, decision: 'deny', outcome: 'failed', errorCode: 'UPSTREAM' });
    assert.match(denied.summary, /^Megan Bowen tried to deny the PIM role request/);
    const done = actionAlertCard({ ...decide, decision: 'approve', outcome: 'succeeded' });
    assert.match(done.summary, /^Megan Bowen decided the PIM role request as approved/);
  });

  it("says why an attempt failed or was refused in people's words, the code only on the small last line", () => {
    for (const code of ERROR_CODES) {
      const outcome = outcomeOfError(code);
      const content = actionAlertCard({ ...base, outcome, errorCode: code }).attachment.content;
      const s = checked({ content });
      // The status line and the facts: words, no capitals code ("REFUSED:", "Error: INVALID_STATE").
      const status = /"text":"((?:Failed|Refused)[^"]*)"/.exec(s)?.[1] ?? '';
      assert.match(status, outcome === 'failed' ? /^Failed: / : /^Refused: /, code);
      assert.doesNotMatch(s, /FAILED|REFUSED/, code);
      assert.doesNotMatch(s, /"text":"Error: "/, code);
      const why = /"text":"Why: ","weight":"Bolder"\},\{"type":"TextRun","text":"([^"]+)"/.exec(s)?.[1] ?? '';
      assert.match(why, /^[A-Z][a-z].*\.$/, `${code}: a sentence`);
      assert.ok(!why.includes(code), `${code}: not the code`);
      // The code stays once, on the footer line (small and subtle), for administrators.
      assert.equal(s.split(code).length - 1, 1, `${code}: once`);
      assert.match(s, new RegExp(`"text":"Action corr-42 · code ${code}","size":"Small","isSubtle":true`), code);
    }
    const ok = checked(actionAlertCard(base).attachment);
    assert.match(ok, /"text":"Action corr-42","size":"Small"/, 'a success names no code');
  });

  it('renders an action alert for every operation, with and without names', () => {
    for (const op of OPERATION_NAMES) {
      const ids: Record<string, string> = Object.fromEntries(CATALOG[op].idNames.map((n) => [n, ID]));
      const s = checked(
        actionAlertCard({
          ...base,
          operation: op,
          ids,
          itemNames: {},
          decision: op === 'resumeTask' ? 'failed' : undefined,
          via: 'card',
        }).attachment,
      );
      assert.match(s, /a card button/);
      if (op === 'resumeTask') assert.match(s, /as rejected/);
    }
  });

  it('renders an event alert with buttons that act through governance.act', () => {
    const card = renderAlertCard('alert', {
      category: CATEGORIES.roleRequests.name,
      title: 'Adele Vance requested Global Reader for 8 hours.',
      text: 'Justification: incident 4411 ${not a template}',
      facts: [{ title: 'requestId', value: ID }],
      status: '',
      statusStyle: 'default',
      footer: 'Posted to every channel subscribed to PIM role requests.',
      actions: [{ title: 'Cancel request', data: { operation: 'cancelRoleRequest', ids: { requestId: ID } } }],
    });
    assert.deepEqual(libraryProblems(card.content), [], 'the Adaptive Cards library accepts the card');
    const s = JSON.stringify(card.content);
    // Text from outside that looks like an expression is shown as it is (cardsTeams.templating).
    assert.ok(s.includes('incident 4411 ${not a template}'), 'the text is shown as it came');
    assert.match(s, /"verb":"governance.act"/);
    assert.match(s, /Cancel request/);
    assert.ok(!s.includes('"style":"default","bleed"'), 'no empty status banner');
  });

  it('renders the welcome card naming every category and the commands', () => {
    const s = checked(welcomeCard('Identity Operations'));
    for (const id of CATEGORY_IDS) assert.ok(s.includes(CATEGORIES[id].name), id);
    assert.match(s, /Identity Operations/);
    assert.match(s, /alerts on <category>/);
    checked(welcomeCard(null));
  });

  // The welcome is posted just above the channel's settings card, whose digest toggle may already
  // be on (the sandbox's alerts channel has it on from the start): "can be turned on" read as if
  // it were off. The words hold either way: each channel chooses it.
  it("the welcome card's digest words hold whether the channel's digest is on or off", () => {
    const s = JSON.stringify(welcomeCard('Identity Operations').content);
    assert.doesNotMatch(s, /can be turned on/);
    assert.match(s, /Each channel chooses whether it also gets a daily digest/);
  });

  it('renders the settings card: a toggle per category and the digest, saved by Action.Execute alerts.save', () => {
    const card = settingsCard('Governance alerts', { categories: ['roleRequests', 'actions'], digest: true });
    const s = checked(card);
    const body = card.content.body as Array<Record<string, unknown>>;
    const toggles = body.filter((e) => e.type === 'Input.Toggle');
    assert.deepEqual(
      toggles.map((t) => [t.id, t.value]),
      [
        ...CATEGORY_IDS.map((id) => [id, id === 'roleRequests' || id === 'actions' ? 'true' : 'false']),
        ['digest', 'true'],
      ],
    );
    const actions = buttonsOf(card.content);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.type, 'Action.Execute');
    assert.equal(actions[0]!.verb, 'alerts.save');
    assert.match(s, /#Governance alerts/);
    // Each toggle carried, on or off; one not carried (an older card's) is absent, and so kept.
    assert.deepEqual(
      carriedChoices({ roleRequests: 'true', actions: 'false', digest: 'true', kind: 'x', evil: 'true' }),
      { roleRequests: true, actions: false, digest: true },
    );
    assert.deepEqual(carriedChoices(null), {});
  });

  it('renders a reminder naming the moment the approval lapses', () => {
    const now = Date.UTC(2026, 2, 4, 20, 0, 0);
    const { attachment, summary } = reminderCard(
      {
        approval: {
          kind: 'roleRequest',
          requestId: ID,
          createdAt: now - 21 * 3_600_000,
          title: 'Adele Vance requested Global Reader',
        },
        expiresAt: now + 3 * 3_600_000,
      },
      now,
    );
    const s = checked(attachment);
    assert.match(s, /Approval expires at 2026-03-04 23:00 UTC/);
    assert.match(s, /This PIM role request lapses then unless someone decides/);
    assert.match(summary, /^Approval expires at 2026-03-04 23:00 UTC: Adele Vance/);
    assert.ok(s.includes(ID));
    assert.ok(summary.length <= 120);
  });

  it('renders a digest with counts by category and outcome and the oldest waiting items', () => {
    const now = Date.UTC(2026, 2, 5, 7, 0, 0);
    const day = {
      date: '2026-03-04',
      counts: {
        roleRequests: { announced: 3 },
        actions: { succeeded: 2, failed: 1, refused: 1 },
        workflowRuns: { announced: 9 },
      },
    };
    const waiting = [
      {
        key: 'a',
        category: 'roleRequests' as const,
        title: 'Adele requested Global Reader',
        since: now - 5 * 3_600_000,
      },
      { key: 'b', category: 'workflowRuns' as const, title: 'not followed here', since: now - 9 * 3_600_000 },
    ];
    const { attachment, summary } = digestCard(['roleRequests', 'actions'], day, waiting, now);
    const s = checked(attachment);
    assert.match(s, /3 announced/);
    assert.match(s, /2 succeeded, 1 failed, 1 refused/);
    assert.match(s, /waiting 5 h/);
    assert.ok(!s.includes('not followed here') && !s.includes('9 announced'), 'only the channel’s categories');
    assert.match(summary, /7 events/);
    const empty = checked(digestCard(['groupRequests'], { date: '2026-03-04', counts: {} }, [], now).attachment);
    assert.match(empty, /Nothing happened/);
    assert.match(empty, /Nothing in the categories this channel follows is waiting/);
  });

  // A summary is the line Teams shows in the activity feed and notifications; cut inside a
  // surrogate pair it would carry half an emoji (not valid Unicode) to Teams.
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages
  it('cuts the summaries of reminders and action alerts between whole characters', () => {
    const now = Date.UTC(2026, 2, 5, 7, 0, 0);
    const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    for (const pad of ['', 'x']) {
      const name = `${pad}${'😀'.repeat(100)}`;
      const reminder = reminderCard(
        {
          approval: { kind: 'roleRequest', requestId: ID, createdAt: now - 3_600_000, title: name },
          expiresAt: now + 3 * 3_600_000,
        },
        now,
      );
      const action = actionAlertCard({ ...base, actor: { name, id: 'aad-megan' } });
      for (const summary of [reminder.summary, action.summary]) {
        assert.doesNotMatch(summary, loneSurrogate, JSON.stringify(summary.slice(-4)));
        assert.ok(summary.length <= 120 && summary.length >= 118, String(summary.length));
      }
    }
  });
});
