// A typed command that names an operation writes one audit line when it ends, whether Graph or the
// bot refused it (contract §6), and is answered with an Adaptive Card. Graph refusing the token of
// its write (401, https://learn.microsoft.com/en-us/graph/errors) does not end it: it waits for the
// sign-in it is asked for again (the Sign in card stays in the chat; Teams shows its button when
// the exchange is answered 412:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code),
// and writes its one line when it runs or ends without running, with the first attempt's id. The
// bot's own state store failing before the command could be remembered or its user's sign-out
// checked ends it: a card that says to send it again in a moment, and its one line.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { SignInRequiredError } from '../../src/domain/errors';
import type { AuditLine } from '../../src/domain/governance';
import type { Records } from '../../src/state/port';
import { failing, failingOn } from './failingStore';
import { Rig, cardsOf } from './botRig';
import { FakeClock } from './fakeClock';
import { rigPerTest } from './rigPerTest';
import { assertAbandonedLine, auditLinesOf, expirySweep } from './waitingCommand';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const OAUTH = 'application/vnd.microsoft.card.oauth';

const oauthOf = (sent: ReadonlyArray<Partial<Activity>>) =>
  sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType === OAUTH)?.content as
    { tokenExchangeResource: { id: string } } | undefined;

/** The one reply of a command the store failed: an Adaptive Card (no Sign in card) saying to send
 * the command again in a moment, never that anything was done; its reference. */
function storeDownReply(sent: ReadonlyArray<Partial<Activity>>): string {
  const messages = sent.filter((a) => a.type === 'message');
  assert.equal(messages.length, 1, `one reply: ${JSON.stringify(messages)}`);
  const attachments = messages[0]!.attachments ?? [];
  assert.deepEqual(
    attachments.map((a) => a.contentType),
    [ADAPTIVE],
  );
  assert.equal((attachments[0]!.content as { version?: string }).version, '1.5');
  const said = cardsOf(messages);
  // The cause is the bot's storage, not a token it could not get (none was asked for).
  assert.match(said, /could not use its own storage/i, said);
  assert.match(said, /nothing was changed/i);
  assert.match(said, /Send the command again in a moment/i);
  assert.doesNotMatch(said, /could not get a token/i);
  assert.doesNotMatch(said, /\bdone\b|Cancelled/i);
  return said;
}

/** Graph answers the next cancel 401 (its token refused: https://learn.microsoft.com/en-us/graph/errors). */
function refuseNextCancel(r: Rig): void {
  r.tenant.injectFault({
    method: 'POST',
    pathIncludes: '/cancel',
    status: 401,
    code: 'InvalidAuthenticationToken',
    times: 1,
  });
}

describe('a typed command writes one audit line', () => {
  describe('Graph refuses the token of its write (401): it waits for sign-in again', () => {
    let r: Rig;
    rigPerTest(async (rig) => {
      r = rig;
      await rig.signIn(rig.user(0));
    }, {});

    async function refusedToken() {
      const megan = r.user(0);
      const before = auditLinesOf(r).length;
      refuseNextCancel(r);
      const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      const oauth = oauthOf(typed.sent);
      assert.ok(oauth, `asked to sign in again: ${cardsOf(typed.sent)}`);
      assert.equal(auditLinesOf(r).length, before, 'no line while the command waits');
      return { megan, before, id: oauth.tokenExchangeResource.id };
    }

    it('signed in again, the command runs and writes its one line', async () => {
      const { megan, before, id } = await refusedToken();
      r.sent.length = 0;
      const exchange = await r.invoke(megan, 'signin/tokenExchange', { id, connectionName: '', token: r.sso(megan) });
      assert.equal(exchange.invoke?.status, 200);
      await r.bot.idle();
      const lines = auditLinesOf(r).slice(before);
      assert.equal(lines.length, 1, JSON.stringify(lines));
      assert.equal(lines[0]!.outcome, 'succeeded');
      assert.equal(lines[0]!.graphStatus, 204);
      // The answer's reference is the line's, the id its first attempt was given.
      assert.match(cardsOf(r.sent), new RegExp(`correlation ${String(lines[0]!.correlationId)}`));
    });

    it('signed out while it waits: its one line says so, with the 401 and the first attempt', async () => {
      const { megan, before } = await refusedToken();
      await r.message(megan, 'sign out');
      const lines = auditLinesOf(r).slice(before);
      assert.equal(lines.length, 1, JSON.stringify(lines));
      assertAbandonedLine(
        { ...lines[0]!, graphStatus: null, graphRequestId: null },
        { requestId: r.seed.examples.roleRequestId, userId: megan.aadObjectId, abandoned: 'signedOut' },
      );
      assert.equal(lines[0]!.graphStatus, 401, "Graph's last answer to the command");
    });
  });

  // The new sign-in's token exchange then refused (MFA: Teams is answered 412 and shows the Sign in
  // card's button, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code):
  // the card about it must not say nothing was sent, for the write went out once.
  describe('Graph refused the token of its write (401), then the new token exchange fails', () => {
    let r: Rig;
    const refusing = { on: false };
    rigPerTest(
      (rig) => {
        r = rig;
        refusing.on = false;
      },
      {
        obo: (inner) => ({
          exchange: (sso) =>
            refusing.on ? Promise.reject(new SignInRequiredError('Entra refused.', 'mfa')) : inner.exchange(sso),
        }),
      },
    );

    it('the 412 card says Graph refused the sign-in it was sent with, not that nothing was sent', async () => {
      const megan = r.user(0);
      await r.signIn(megan);
      refuseNextCancel(r);
      const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      assert.equal(r.writes().length, 1, 'the write went out once');
      const oauth = oauthOf(typed.sent);
      assert.ok(oauth, cardsOf(typed.sent));
      refusing.on = true;
      const token = r.sso(megan);
      const ex = await r.invoke(megan, 'signin/tokenExchange', {
        id: oauth.tokenExchangeResource.id,
        connectionName: '',
        token,
      });
      assert.equal(ex.invoke?.status, 412);
      const said = cardsOf(ex.sent as Array<Partial<Activity>>);
      assert.doesNotMatch(said, /nothing was sent/i, said);
      assert.match(said, /refused the sign-in this command was sent with \(401\)/i);
      assert.match(said, /multi-factor authentication/i, 'what to do still says why');
    });
  });

  describe("the bot's state store fails", () => {
    let r: Rig;
    const pending = { records: null as (Records & { failing: boolean }) | null };
    const marks = { records: null as (Records & { failing: boolean }) | null };
    rigPerTest(
      (rig) => {
        r = rig;
      },
      {
        pendingRecords: (inner) => (pending.records = failing(inner)),
        signOutRecords: (inner) => (marks.records = failing(inner, true)),
      },
    );

    it('a command of a user with no token that cannot be remembered: a card, and its one line', async () => {
      const megan = r.user(0);
      pending.records!.failing = true;
      const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      const said = storeDownReply(typed.sent);
      const lines = auditLinesOf(r);
      assert.equal(lines.length, 1, JSON.stringify(lines));
      assert.equal(lines[0]!.errorCode, 'SIGN_IN_REQUIRED');
      assert.equal(lines[0]!.graphStatus, null);
      assert.ok(said.includes(String(lines[0]!.correlationId)), 'the reference the person was given');
    });

    it("a command whose user's sign-out cannot be checked: a card, and its one line", async () => {
      const megan = r.user(0);
      await r.signIn(megan);
      const before = auditLinesOf(r).length;
      marks.records!.failing = true;
      const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      const said = storeDownReply(typed.sent);
      const lines = auditLinesOf(r).slice(before);
      assert.equal(lines.length, 1, JSON.stringify(lines));
      assert.equal(lines[0]!.errorCode, 'SIGN_IN_REQUIRED');
      assert.equal(r.writes().length, 0, 'nothing sent to Graph');
      assert.match(said, /Nothing was sent to Microsoft Graph/);
    });

    it('a command asked to sign in again after a 401 that cannot be remembered: one line, with the 401', async () => {
      const megan = r.user(0);
      await r.signIn(megan);
      const before = auditLinesOf(r).length;
      refuseNextCancel(r);
      pending.records!.failing = true;
      const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
      const said = storeDownReply(typed.sent);
      const lines = auditLinesOf(r).slice(before);
      assert.equal(lines.length, 1, JSON.stringify(lines));
      assert.equal(lines[0]!.errorCode, 'SIGN_IN_REQUIRED');
      assert.equal(lines[0]!.graphStatus, 401);
      assert.ok(said.includes(String(lines[0]!.correlationId)));
      // The write went out once and was refused: the card must not say nothing was sent.
      assert.doesNotMatch(said, /nothing was sent to Microsoft Graph/i);
      assert.doesNotMatch(said, /nothing is wrong with your sign-in/i, 'Graph refused it');
      assert.match(said, /refused the sign-in (this command|it) was sent with \(401\)/i);
      assert.match(said, /sign in when you are asked/i);
    });
  });

  // The sign-in's records are written one after another (signIns.ts add): a store that fails on a
  // later one, or whose write landed though it was reported failed, must leave nothing that the
  // expiry pass (15 minutes on) ends with a second line for the same command.
  describe('the state store fails partway through remembering the command', () => {
    const clock = new FakeClock();
    const cases = [
      {
        name: "the user's index of sign-ins is not written",
        hit: (k: string) => k.startsWith('signin-user:'),
        landed: false,
      },
      { name: 'the entry is written but reported failed', hit: (k: string) => k.startsWith('signin:'), landed: true },
    ];
    for (const c of cases) {
      for (const after401 of [true, false]) {
        describe(`${c.name}${after401 ? ', after a 401' : ', no token'}`, () => {
          let r: Rig;
          const pending = { records: null as (Records & { failing: boolean }) | null };
          rigPerTest(
            (rig) => {
              r = rig;
            },
            { clock, pendingRecords: (inner) => (pending.records = failingOn(inner, c.hit, c.landed)) },
          );

          it('one line for the command, none from the expiry pass', async () => {
            const megan = r.user(0);
            if (after401) {
              await r.signIn(megan);
              refuseNextCancel(r);
            }
            const before = auditLinesOf(r).length;
            pending.records!.failing = true;
            const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
            pending.records!.failing = false;
            const said = storeDownReply(typed.sent);
            const lines = auditLinesOf(r).slice(before);
            assert.equal(lines.length, 1, JSON.stringify(lines));
            assert.equal(lines[0]!.errorCode, 'SIGN_IN_REQUIRED');
            assert.ok(said.includes(String(lines[0]!.correlationId)), 'the reference the person was given');
            const swept: AuditLine[] = [];
            await clock.advance(30 * 60_000);
            await expirySweep(r, clock, swept)();
            assert.deepEqual(swept, [], 'the expiry pass ends nothing: the command ended with its line');
          });
        });
      }
    }
  });
});
