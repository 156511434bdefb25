// The same signin/tokenExchange from several Teams clients of one user. Teams sends the exchange
// from every client (desktop, web, mobile) that shows the OAuth card, all with the card's id:
// "You might receive multiple responses for a given request if the user has multiple active
// endpoints. You must eliminate all duplicate or redundant responses with the token."
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// Only one is exchanged, and every client must learn how it ended: a failed exchange is answered
// 412 so that client shows the card's Sign in button (botbuilder's TeamsSSOTokenExchangeMiddleware
// exchanges before it de-duplicates for that reason: "every caller needs to receive the 412").
// https://learn.microsoft.com/en-us/javascript/api/botbuilder/teamsssotokenexchangemiddleware
// The user is told once per sign-in, not once per client.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type { DelegatedToken, OboExchanger } from '../../src/auth/tokens';
import { Rig, User, cardsOf } from './botRig';

/** Holds every on-behalf-of exchange until `release`; `called` resolves at the first. */
class HeldObo {
  calls = 0;
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  private reached!: () => void;
  readonly called = new Promise<void>((resolve) => (this.reached = resolve));

  wrap(inner: OboExchanger): OboExchanger {
    return {
      exchange: async (sso: string): Promise<DelegatedToken> => {
        this.calls++;
        this.reached();
        await this.gate;
        return inner.exchange(sso);
      },
    };
  }

  release(): void {
    this.open();
  }
}

describe('token exchanges from several clients of one user', () => {
  let dir: string;
  let rig: Rig;
  let held: HeldObo;

  beforeEach(() => {
    dir = Rig.dir();
    held = new HeldObo();
    rig = new Rig(dir, { obo: (inner) => held.wrap(inner) });
  });

  afterEach(async () => {
    held.release();
    await rig.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const consentUser = (): User =>
    rig.user(rig.seed.users.findIndex((u) => u.id === rig.seed.selfService.consentUserId));

  /** The user's command, and the id of the OAuth card it was answered with. */
  async function ask(user: User, text: string): Promise<string> {
    const first = await rig.message(user, text);
    const card = first.sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
    assert.ok(card, 'an OAuth card');
    return (card.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
  }

  /** Resolves when the flow has been entered `n` times (its duplicate check runs on entry). */
  function entered(n: number): Promise<void> {
    const flow = rig.signInFlow;
    const original = flow.exchange.bind(flow);
    let count = 0;
    return new Promise((resolve) => {
      flow.exchange = (request, user) => {
        if (++count === n) queueMicrotask(resolve);
        return original(request, user);
      };
    });
  }

  it('a duplicate that arrives while the exchange fails is answered 412 too, and the user is told once', async () => {
    const user = consentUser();
    const id = await ask(user, `cancel access-request ${rig.seed.selfService.consentUserAccessRequestId}`);
    const exchange = () => rig.invoke(user, 'signin/tokenExchange', { id, connectionName: '', token: rig.sso(user) });
    const secondEntered = entered(2);
    const desktop = exchange();
    await held.called;
    const web = exchange();
    await secondEntered;
    held.release();
    const [a, b] = await Promise.all([desktop, web]);
    assert.equal(a.invoke?.status, 412);
    assert.equal(b.invoke?.status, 412, 'the other client shows the Sign in button too');
    // Only a success is shared: after the failure the other client's token is tried in its turn
    // (botbuilder's TeamsSSOTokenExchangeMiddleware de-duplicates successes only), one at a time.
    assert.equal(held.calls, 2, 'each token exchanged, one after the other');
    const told = [...a.sent, ...b.sent].filter((s) => /Sign-in needed/.test(s.summary ?? ''));
    assert.equal(told.length, 1, `one card that says what to do: ${cardsOf([...a.sent, ...b.sent])}`);
    assert.equal((await rig.signInFlow.pendingView(id))?.reason, 'consent', 'the command waits for the pages');
  });

  it("another member who answers the same card meanwhile does not make the user's other client miss the 412", async () => {
    // In a group chat every member's client shows the OAuth card and may send its exchange; that
    // member is acknowledged (200), and the user's own duplicate still learns how theirs ended.
    const user = consentUser();
    const other = rig.user(rig.seed.users.findIndex((u) => u.id !== rig.seed.selfService.consentUserId));
    const id = await ask(user, `cancel access-request ${rig.seed.selfService.consentUserAccessRequestId}`);
    const exchange = (who: User) =>
      rig.invoke(who, 'signin/tokenExchange', { id, connectionName: '', token: rig.sso(who) });
    const thirdEntered = entered(3);
    const desktop = exchange(user);
    await held.called;
    const foreign = await exchange(other);
    assert.equal(foreign.invoke?.status, 200, 'the other member is acknowledged');
    const web = exchange(user);
    await thirdEntered;
    held.release();
    const [a, b] = await Promise.all([desktop, web]);
    assert.equal(a.invoke?.status, 412);
    assert.equal(b.invoke?.status, 412, "the user's other client shows the Sign in button too");
    assert.equal(held.calls, 2, "the user's two tokens, each exchanged once; the other member's never");
  });

  it('a duplicate that arrives after the exchange failed is answered 412 without telling the user again', async () => {
    held.release();
    const user = consentUser();
    const id = await ask(user, `cancel access-request ${rig.seed.selfService.consentUserAccessRequestId}`);
    const exchange = () => rig.invoke(user, 'signin/tokenExchange', { id, connectionName: '', token: rig.sso(user) });
    const first = await exchange();
    const again = await exchange();
    assert.equal(first.invoke?.status, 412);
    assert.equal(again.invoke?.status, 412);
    assert.equal(first.sent.length, 1, 'the first failure is explained');
    assert.equal(again.sent.length, 0, `nothing sent again: ${cardsOf(again.sent)}`);
  });

  it('duplicates of an exchange that succeeds are answered 200 and the command runs once', async () => {
    const user = rig.user(0);
    const target = rig.seed.examples.roleRequestId;
    const id = await ask(user, `cancel role-request ${target}`);
    const exchange = () => rig.invoke(user, 'signin/tokenExchange', { id, connectionName: '', token: rig.sso(user) });
    const secondEntered = entered(2);
    const desktop = exchange();
    await held.called;
    const web = exchange();
    await secondEntered;
    held.release();
    const [a, b] = await Promise.all([desktop, web]);
    assert.deepEqual([a.invoke?.status, b.invoke?.status], [200, 200]);
    await rig.bot.idle();
    assert.equal(held.calls, 1);
    assert.equal(rig.writes().length, 1, 'the command ran once');
  });
});
