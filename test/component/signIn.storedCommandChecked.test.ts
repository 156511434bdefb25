// A command waiting for sign-in is kept in the shared state and runs when the token exchange lands
// (contract §5), maybe on another instance and after an upgrade: what an older version remembered
// passes the checks of a command typed now before anything of it reaches Graph. A justification is
// sent without control characters (but tab and line feed), which show as nothing or as boxes where
// the requester and the admin center read it
// (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0), and an id
// that is not a GUID never goes into a Graph URL. A record of the older shape is written here over
// the one the typed command left, as a store shared with an older version would hold it.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import type { Target } from '../../src/domain/operations';
import type { PendingCommand } from '../../src/bot/commandTurns';
import type { PendingSignIn } from '../../src/state/signIns';
import { ENTRY } from '../../src/state/signInLookup';
import { Rig, User } from './botRig';
import { rigPerTest } from './rigPerTest';
import { auditLinesOf } from './waitingCommand';
import { pressedData } from '../fixtures/pressedData';
import { NO_MOMENT } from '../../src/bot/cardActions';
import { ListCards } from '../../src/state/listCards';

describe('a command remembered by an older version runs only once it passes the checks of one typed now', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), {});

  const patches = () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  /** The cards of `sent`, whatever else went with them (a typing indicator). */
  const cardsIn = (sent: ReadonlyArray<{ attachments?: Array<{ content?: unknown }> }>): string =>
    JSON.stringify(sent.flatMap((a) => (a.attachments ?? []).map((x) => x.content)));

  /** Types `command`, or presses a button (it waits for sign-in), rewrites its remembered target with `older`, then
   * completes the sign-in: what was sent after it. */
  async function resumedAfter(
    user: User,
    command: string | Partial<Activity>,
    older: (target: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<string> {
    const asked = typeof command === 'string' ? await r.message(user, command) : await r.message(user, '', command);
    const oauth = asked.sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
    assert.ok(oauth, `a Sign in card: ${JSON.stringify(asked.sent).slice(0, 400)}`);
    const id = (oauth.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
    const key = ENTRY + id;
    const stored = await r.state.records.get<PendingSignIn<PendingCommand>>(key);
    assert.ok(stored?.value.payload.target, 'the command waits for sign-in');
    const payload = { ...stored.value.payload, target: older({ ...stored.value.payload.target }) };
    await r.state.records.put(key, { ...stored.value, payload }, 'keep');
    r.sent.length = 0;
    r.tenant.clearLog();
    const exchange = await r.invoke(user, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(user) });
    assert.equal(exchange.invoke?.status, 200);
    await r.bot.idle();
    return cardsIn(r.sent);
  }

  it('a justification remembered with control characters reaches Graph cleaned, tab and line feed kept', async () => {
    const megan = r.user(0);
    const approvalId = r.seed.examples.roleDenyApprovalId;
    const said = await resumedAfter(megan, `deny role-request ${approvalId} Not now`, (t) => ({
      ...t,
      justification: '\u0007Not\u0000 during\u009b the\nfreeze\tplease\u001b ',
    }));
    assert.match(said, /Denied your stage/, said.slice(0, 600));
    assert.equal(patches().length, 1);
    assert.deepEqual(JSON.parse(patches()[0]!.body ?? '{}'), {
      reviewResult: 'Deny',
      justification: 'Not during the\nfreeze\tplease',
    });
    const [line] = auditLinesOf(r);
    assert.equal(line?.outcome, 'succeeded');
    assert.equal(line?.justificationLength, 'Not during the\nfreeze\tplease'.length);
  });

  it('a deny whose remembered justification is only control characters is refused as a typed one is; nothing is sent', async () => {
    const megan = r.user(0);
    const approvalId = r.seed.examples.roleDenyApprovalId;
    const said = await resumedAfter(megan, `deny role-request ${approvalId} Not now`, (t) => ({
      ...t,
      justification: '\u0007\u0000 \u009b',
    }));
    assert.match(said, /A justification is required: say why, after the request id\./, said.slice(0, 600));
    assert.equal(r.tenant.graphRequests().length, 0, 'nothing reached Graph');
    const typed = await r.message(megan, `deny role-request ${approvalId} \u0007\u0000 \u009b`);
    assert.equal(said, cardsIn(typed.sent), 'the card a typed one gets');
    const lines = auditLinesOf(r);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.errorCode, 'BAD_INPUT');
    assert.equal(lines[0]?.graphStatus, null);
  });

  it('an id remembered that is not a GUID is refused as a typed one is; nothing is sent', async () => {
    const megan = r.user(0);
    const requestId = r.seed.examples.roleRequestId;
    const bad = `${requestId}/../../users`;
    const said = await resumedAfter(megan, `cancel role-request ${requestId}`, (t) => ({
      ...t,
      ids: { requestId: bad },
    }));
    assert.match(said, /requestId must be a GUID like 00000000-0000-0000-0000-000000000000/, said.slice(0, 600));
    assert.equal(r.tenant.graphRequests().length, 0, 'nothing reached Graph');
    const typed = await r.message(megan, `cancel role-request ${bad}`);
    assert.equal(said, cardsIn(typed.sent), 'the card a typed one gets');
    const lines = auditLinesOf(r);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.errorCode, 'BAD_INPUT');
  });

  // From the audit line the id reaches the log, the "actions taken" alert card (a fact) and state
  // keys: a NEL or U+2028 there may end the log line for a reader that splits it (graphWords.ts).
  const longDirty = '\u2028evil\u0085' + 'x'.repeat(3000);
  const shownClean = 'evil' + 'x'.repeat(36) + '…';

  it('an id remembered long and with line separators: its refusal and its audit line name it cut and clean', async () => {
    const megan = r.user(0);
    const requestId = r.seed.examples.roleRequestId;
    const said = await resumedAfter(megan, `cancel role-request ${requestId}`, (t) => ({
      ...t,
      ids: { requestId: longDirty },
    }));
    assert.ok(said.includes(`not \\"${shownClean}\\"`), said.slice(0, 600));
    assert.equal(r.tenant.graphRequests().length, 0, 'nothing reached Graph');
    const lines = auditLinesOf(r);
    assert.equal(lines.length, 1, JSON.stringify(lines).slice(0, 400));
    assert.equal(lines[0]?.errorCode, 'BAD_INPUT');
    assert.equal(lines[0]?.targetId, shownClean);
    assert.deepEqual(lines[0]?.targetIds, [shownClean]);
  });

  it('a press remembered with a long id holding line separators: its audit line names it cut and clean', async () => {
    const megan = r.user(0);
    const cancel: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', cancel);
    const press = { text: undefined, value: pressedData(cancel), replyToId: 'card-1' };
    const said = await resumedAfter(megan, press, (t) => ({ ...t, ids: { requestId: longDirty } }));
    assert.match(said, /requestId on the button is not a GUID\./, said.slice(0, 600));
    const lines = auditLinesOf(r);
    assert.equal(lines.length, 1, JSON.stringify(lines).slice(0, 400));
    assert.equal(lines[0]?.targetId, shownClean);
    assert.deepEqual(lines[0]?.targetIds, [shownClean]);
  });

  it('a press remembered with a raw reason: its approval reaches Graph with the reason cleaned', async () => {
    const megan = r.user(0);
    const approve: Target = {
      operation: 'decideRoleApproval',
      ids: { requestId: r.seed.examples.roleApprovalId },
      decision: 'approve',
      justification: 'Checked',
    };
    await r.postCard(megan, 'card-1', approve);
    const press = { text: undefined, value: pressedData(approve), replyToId: 'card-1' };
    await resumedAfter(megan, press, (t) => ({ ...t, justification: '\u0007Checked\u0000 the\u009b ticket\u001b' }));
    assert.equal(patches().length, 1);
    assert.deepEqual(JSON.parse(patches()[0]!.body ?? '{}'), {
      reviewResult: 'Approve',
      justification: 'Checked the ticket',
    });
  });

  it('a press remembered with an id that is not a GUID: the button’s refusal, nothing is sent', async () => {
    const megan = r.user(0);
    const cancel: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', cancel);
    const press = { text: undefined, value: pressedData(cancel), replyToId: 'card-1' };
    const said = await resumedAfter(megan, press, (t) => ({ ...t, ids: { requestId: 'not-a-guid' } }));
    assert.match(said, /That button did not work/, said.slice(0, 600));
    assert.match(said, /requestId on the button is not a GUID\./);
    assert.equal(r.tenant.graphRequests().length, 0, 'nothing reached Graph');
    const lines = auditLinesOf(r);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]?.errorCode, 'BAD_INPUT');
    assert.equal(lines[0]?.via, 'card');
  });
  /** Posts `target`'s card and presses its button (it waits for sign-in), then resumes it as `older` remembered it. */
  async function pressResumedAfter(
    target: Target,
    older: (target: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<string> {
    const megan = r.user(0);
    await r.postCard(megan, 'card-1', target);
    return resumedAfter(megan, { text: undefined, value: pressedData(target), replyToId: 'card-1' }, older);
  }

  /** The BAD_INPUT line a remembered press refused ends with, nothing sent to Graph. */
  function assertRefusedPress(): void {
    assert.equal(r.tenant.graphRequests().length, 0, 'nothing reached Graph');
    const lines = auditLinesOf(r);
    assert.equal(lines.length, 1, JSON.stringify(lines).slice(0, 400));
    assert.equal(lines[0]?.errorCode, 'BAD_INPUT');
  }

  // A PIM approval's Approve asks the approver's reason (isApproverJustificationRequired); a card
  // posted before its Approve asked "Why?" has no box, and its press carries no field at all.
  it('a PIM Approve press remembered with no reason at all is told to send the command, as a card without a box is', async () => {
    const approve: Target = {
      operation: 'decideRoleApproval',
      ids: { requestId: r.seed.examples.roleApprovalId },
      decision: 'approve',
    };
    const said = await pressResumedAfter(approve, ({ justification: _reason, ...t }) => t);
    const command = `approve role-request ${approve.ids.requestId} <reason>`;
    assert.ok(said.includes(`This card’s Approve sends none. Send \\"${command}\\" instead`), said.slice(0, 900));
    assert.doesNotMatch(said, /box/);
    assertRefusedPress();
  });

  it('a PIM Approve press remembered with a reason of control characters only is sent back to its box', async () => {
    const approve: Target = {
      operation: 'decideRoleApproval',
      ids: { requestId: r.seed.examples.roleApprovalId },
      decision: 'approve',
    };
    const said = await pressResumedAfter(approve, (t) => ({ ...t, justification: '\u0007\u0000' }));
    assert.match(said, /Type why in the card’s “Why\?” box, then press the button again/, said.slice(0, 900));
    assertRefusedPress();
  });

  // The approval's moment a press carries is a whole number of ms a Date holds (cardActions.ts).
  for (const endsAt of ['tomorrow', 1e300, 1.5]) {
    it(`a press remembered with an approval moment that is no time value (${endsAt}) is refused as a press is`, async () => {
      const approve: Target = {
        operation: 'decideRoleApproval',
        ids: { requestId: r.seed.examples.roleApprovalId },
        decision: 'approve',
        justification: 'Checked',
      };
      const said = await pressResumedAfter(approve, (t) => ({ ...t, endsAt }));
      assert.match(said, /That button did not work/, said.slice(0, 600));
      assert.ok(said.includes(NO_MOMENT), said.slice(0, 600));
      assertRefusedPress();
    });
  }

  it('a press remembered with an approval stage on an item whose read lists no stages is refused as a press is', async () => {
    const cancel: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    const stage = '0f1e2d3c-4b5a-4968-8776-655443322110';
    const said = await pressResumedAfter(cancel, (t) => ({ ...t, afterStage: stage }));
    assert.match(said, /That button did not work/, said.slice(0, 600));
    assert.match(said, /The button names no approval stage I know\./, said.slice(0, 600));
    assertRefusedPress();
  });

  it('a list row press remembered with an approval moment is refused as a row press is', async () => {
    const megan = r.user(0);
    const approvalId = r.seed.examples.roleApprovalId;
    const approve: Target = {
      operation: 'decideRoleApproval',
      ids: { requestId: approvalId },
      decision: 'approve',
      justification: 'Checked',
    };
    await r.postCard(megan, 'list-1', approve);
    const none = { requester: null, what: null, justification: null, duration: null, createdAt: null, expiresAt: null };
    await new ListCards(r.state.records).save(r.conversationOf(megan), 'list-1', {
      list: 'approvals',
      userId: megan.aadObjectId,
      items: [{ kind: 'role', requestId: approvalId, ...none }],
      offset: 0,
      next: {},
      capped: [],
      problems: [],
      outcomes: {},
    });
    const press = { text: undefined, value: pressedData(approve, { list: 'approvals' }), replyToId: 'list-1' };
    const said = await resumedAfter(megan, press, (t) => ({ ...t, endsAt: Date.now() + 3_600_000 }));
    assert.match(said, /That button did not work/, said.slice(0, 600));
    assert.ok(said.includes(NO_MOMENT), said.slice(0, 600));
    assertRefusedPress();
  });
});
