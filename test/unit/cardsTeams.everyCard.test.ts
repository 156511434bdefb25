// Every card the bot can send, bound with adversarial outside text, against what Teams documents
// for Universal Actions: a card version that has Action.Execute (1.4+; Teams asks for 1.5), read
// by the Adaptive Cards library at the version the card declares (so an element newer than the
// card counts as unknown); every Action.Execute carries an Action.Submit fallback with the same
// data, which names its handler itself (an Action.Submit has no verb); and no card carries a
// token, a file path or a stack trace.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#teams

import { strict as assert } from 'node:assert';
import { actionAlertCard } from '../../src/alerts/actionFeed';
import { settingsCard, welcomeCard } from '../../src/alerts/cards';
import { digestCard } from '../../src/alerts/digest';
import { reminderCard } from '../../src/alerts/reminders';
import { listCard } from '../../src/bot/listCards';
import { createReplyCards, eventCard, itemCard } from '../../src/bot/replyCards';
import type { WorkItem } from '../../src/domain/myWork';
import { CATALOG, OPERATION_NAMES, Target } from '../../src/domain/operations';
import type { ListSnapshot } from '../../src/state/listCards';
import { Node, libraryProblems, nodesOf } from './cardsTeams.cardWalk';

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const OTHER = '95c690fb-3eb3-4942-a03f-4524aed6f31f';
const EVIL = '*a* _b_ [c](https://x.example) <at>d</at>\n- e ${x} eyJhbGciOi /etc/passwd';
const now = Date.UTC(2026, 2, 4, 20, 0, 0);

function everyCard(): Array<[string, unknown]> {
  const cards = createReplyCards({ cloud: 'global', examples: null });
  const out: Array<[string, unknown]> = [
    ['help', cards.help().attachment.content],
    [
      'usage',
      cards.usage({ problem: EVIL, usage: 'help\nsign out', heading: EVIL }, 'Type "help" to see every command.')
        .attachment.content,
    ],
    ['info', cards.info(EVIL, EVIL).attachment.content],
  ];
  for (const operation of OPERATION_NAMES) {
    const target: Target = { operation, ids: Object.fromEntries(CATALOG[operation].idNames.map((n) => [n, ID])) };
    for (const settled of [false, true]) {
      const view = { title: EVIL, text: EVIL, facts: [{ title: EVIL, value: EVIL }], notice: EVIL, settled };
      out.push([`item ${operation} settled=${String(settled)}`, itemCard(target, view).attachment.content]);
      // A press's answer: what its card said the item was (its binding's), above the outcome.
      const about = { title: EVIL, line: EVIL, facts: [{ title: EVIL, value: EVIL }] };
      const pressed = itemCard(target, { text: EVIL, notice: EVIL, settled, about });
      out.push([`pressed ${operation} settled=${String(settled)}`, pressed.attachment.content]);
    }
    const event = { item: target, title: EVIL, text: EVIL, facts: [{ title: EVIL, value: EVIL }] };
    out.push([`event ${operation}`, eventCard(event).attachment.content]);
    const ok = { ok: true as const, target, graph: { status: 204, requestId: 'r' }, correlationId: 'c' };
    out.push([`result ${operation}`, cards.outcome({ ...ok, confirmedByRead: false }, EVIL).attachment.content]);
  }
  const item: WorkItem = {
    kind: 'role',
    requestId: ID,
    requester: EVIL,
    what: EVIL,
    justification: EVIL,
    duration: 'PT8H',
    createdAt: '2026-03-04T10:00:00Z',
    expiresAt: '2026-03-05T10:00:00Z',
  };
  for (const list of ['approvals', 'requests'] as const) {
    for (const acted of [false, true]) {
      const snapshot: ListSnapshot<WorkItem> = {
        list,
        userId: 'u',
        items: [item, { ...item, kind: 'access' as const, requestId: OTHER }],
        offset: 0,
        next: { role: 'https://graph.microsoft.com/v1.0/next' },
        capped: ['role'],
        problems: [EVIL],
        outcomes: acted ? { [ID]: { text: EVIL, style: 'good' } } : {},
      };
      const card = listCard(snapshot, now, { requestId: OTHER, text: EVIL });
      out.push([`list ${list} acted=${String(acted)}`, card.attachment.content]);
    }
  }
  out.push(['settings', settingsCard(EVIL, { categories: ['roleRequests'], digest: true }).content]);
  out.push(['welcome', welcomeCard(EVIL).content]);
  const action = {
    actionId: 'a',
    operation: 'cancelRoleRequest' as const,
    ids: { requestId: ID },
    itemNames: { Role: EVIL },
    actor: { name: EVIL, id: 'x' },
    at: now,
    via: 'card' as const,
  };
  for (const outcome of ['succeeded', 'failed', 'refused'] as const)
    out.push([`alert ${outcome}`, actionAlertCard({ ...action, outcome }).attachment.content]);
  const approval = { kind: 'roleRequest' as const, requestId: ID, createdAt: now, title: EVIL, facts: [] };
  out.push(['reminder', reminderCard({ approval, expiresAt: now + 3_600_000 }, now).attachment.content]);
  const waiting = [{ key: 'k', category: 'roleRequests' as const, title: EVIL, since: now - 3_600_000 }];
  out.push([
    'digest',
    digestCard(['roleRequests'], { date: '2026-03-04', counts: {} }, waiting, now).attachment.content,
  ]);
  return out;
}

describe('cards in Teams: every card the bot sends', () => {
  it('the library check reads a card at the version it declares', () => {
    const execute = { type: 'Action.Execute', title: 'Go', verb: 'v' };
    const old = { type: 'AdaptiveCard', version: '1.3', body: [], actions: [execute] };
    assert.notDeepEqual(libraryProblems(old), [], 'Action.Execute is unknown to a 1.3 card');
    assert.deepEqual(libraryProblems({ ...old, version: '1.5' }), []);
  });

  it('declares 1.5, and the Adaptive Cards library accepts it at that version', () => {
    for (const [name, content] of everyCard()) {
      assert.equal((content as { version?: unknown }).version, '1.5', name);
      assert.deepEqual(libraryProblems(content), [], name);
    }
  });

  it('gives every Action.Execute an Action.Submit fallback with the same data, naming its handler', () => {
    let seen = 0;
    for (const [name, content] of everyCard()) {
      for (const n of nodesOf(content).filter((x) => x.type === 'Action.Execute')) {
        seen += 1;
        const fallback = n.fallback as Node | undefined;
        assert.equal(fallback?.type, 'Action.Submit', name);
        assert.equal(fallback?.title, n.title, name);
        assert.deepEqual(fallback?.data, n.data, name);
        const data = n.data as Record<string, unknown>;
        assert.ok(data.verb === n.verb || data.kind === 'alerts.settings', `${name}: the submit names its handler`);
      }
    }
    assert.ok(seen > 0);
  });

  // "Some older Teams clients do not support fallback property when not wrapped in an ActionSet. In
  // order to not break on such clients, it is strongly recommended that you wrap all your
  // Action.Execute in ActionSet."
  // https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#teams
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/universal-bot-action-model/develop-universal-bot-action-model#backward-compatibility
  it('wraps every Action.Execute in an ActionSet, never in a card’s own actions, so its fallback holds', () => {
    let seen = 0;
    for (const [name, content] of everyCard()) {
      const nodes = nodesOf(content);
      const executes = nodes.filter((x) => x.type === 'Action.Execute');
      const wrapped = nodes
        .filter((x) => x.type === 'ActionSet')
        .flatMap((set) => ((set.actions as Node[] | undefined) ?? []).filter((a) => a.type === 'Action.Execute'));
      assert.equal(wrapped.length, executes.length, `${name}: every Action.Execute sits in an ActionSet`);
      // The card's own actions, and those of a card an Action.ShowCard opens, hold none.
      for (const card of nodes.filter((x) => x.type === 'AdaptiveCard')) {
        const own = (card.actions as Node[] | undefined) ?? [];
        assert.ok(!own.some((a) => a.type === 'Action.Execute'), `${name}: ${JSON.stringify(own).slice(0, 200)}`);
      }
      seen += executes.length;
    }
    assert.ok(seen > 0);
  });

  it('carries no token, file path or stack trace of its own', () => {
    for (const [name, content] of everyCard()) {
      // The adversarial text itself is allowed through as text; anything else is not.
      const own = JSON.stringify(content).split(JSON.stringify(EVIL).slice(1, -1)).join('');
      assert.doesNotMatch(own, /eyJ[A-Za-z0-9_-]{5,}|Bearer |\/work\/|node_modules|\bat .+:\d+:\d+\)/, name);
    }
  });
});
