// The same signin/tokenExchange from two Teams clients of one user, reaching two bot instances
// (the instances share the state store; each client's invoke may reach any of them). Teams sends
// the exchange from every client that shows the OAuth card, and the bot must de-duplicate them:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// Every client must still learn how the exchange ended: Teams "attempts a silent token exchange
// before showing the sign-in button", and shows the button only on a 412
// (https://learn.microsoft.com/en-us/dotnet/api/microsoft.teams.apps.oauth.tokenexchangeinvokeresponse),
// so a 200 while the other instance's exchange fails would leave that client without a Sign in button.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { HOLDER_POLLS } from '../../src/auth/tokenExchange';
import { CLICK_BUDGET_MS } from '../../src/domain/cardAction';
import type { DelegatedToken, OboExchanger } from '../../src/auth/tokens';
import { Rig, User, cardsOf } from './botRig';

/** Holds every on-behalf-of exchange until `release`; `called` resolves at the first. */
function heldObo() {
  let calls = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reached!: () => void;
  const called = new Promise<void>((resolve) => (reached = resolve));
  return {
    called,
    release: () => open(),
    get calls() {
      return calls;
    },
    wrap: (inner: OboExchanger): OboExchanger => ({
      async exchange(sso: string): Promise<DelegatedToken> {
        calls++;
        reached();
        await gate;
        return inner.exchange(sso);
      },
    }),
  };
}

describe('token exchanges from two clients of one user on two instances', () => {
  let dir: string;
  let first: Rig;
  let second: Rig;
  let held: ReturnType<typeof heldObo>;
  let secondCalls: number;
  /** Resolves when the second instance's exchange first waits to look again (if it ever does). */
  let secondWaits: Promise<void>;
  /** What the second instance's wait waits for, set by each test. */
  let lookAgain: Promise<unknown>;

  beforeEach(() => {
    dir = Rig.dir();
    held = heldObo();
    secondCalls = 0;
    let waits!: () => void;
    secondWaits = new Promise((resolve) => (waits = resolve));
    lookAgain = Promise.resolve();
    first = new Rig(dir, { obo: (inner) => held.wrap(inner) });
    second = new Rig(dir, {
      tenant: first.tenant,
      obo: (inner) => ({
        exchange: (sso) => {
          secondCalls++;
          return inner.exchange(sso);
        },
      }),
      exchangePause: async () => {
        waits();
        await lookAgain;
      },
    });
  });

  afterEach(async () => {
    held.release();
    await second.close();
    await first.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const exchange = (rig: Rig, user: User, id: string) =>
    rig.invoke(user, 'signin/tokenExchange', { id, connectionName: '', token: rig.sso(user) });

  async function ask(user: User, text: string): Promise<string> {
    const sent = (await first.message(user, text)).sent;
    const card = sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
    assert.ok(card, 'an OAuth card');
    return (card.content as { tokenExchangeResource: { id: string } }).tokenExchangeResource.id;
  }

  it('the exchange on the other instance fails (consent): this client is answered 412 too, and the user is told once', async () => {
    const user = first.user(first.seed.users.findIndex((u) => u.id === first.seed.selfService.consentUserId));
    const id = await ask(user, `cancel access-request ${first.seed.selfService.consentUserAccessRequestId}`);
    const desktop = exchange(first, user, id);
    await held.called;
    lookAgain = desktop;
    const web = exchange(second, user, id);
    await Promise.race([secondWaits, web]);
    held.release();
    const [a, b] = await Promise.all([desktop, web]);
    assert.equal(a.invoke?.status, 412);
    assert.equal(b.invoke?.status, 412, 'the other client shows the Sign in button too');
    assert.equal(secondCalls, 1, "after the failure this client's own token is exchanged in its turn");
    const told = [...a.sent, ...b.sent].filter((s) => /Sign-in needed/.test(s.summary ?? ''));
    assert.equal(told.length, 1, `one card that says what to do: ${cardsOf([...a.sent, ...b.sent])}`);
    assert.equal((await first.signInFlow.pendingView(id))?.reason, 'consent', 'the command waits for the pages');
  });

  it('the exchange on the other instance succeeds: this client is answered 200 and the command runs once', async () => {
    const user = first.user(0);
    const id = await ask(user, `cancel role-request ${first.seed.examples.roleRequestId}`);
    const desktop = exchange(first, user, id);
    await held.called;
    lookAgain = desktop;
    const web = exchange(second, user, id);
    await Promise.race([secondWaits, web]);
    held.release();
    const [a, b] = await Promise.all([desktop, web]);
    assert.equal(a.invoke?.status, 200);
    assert.equal(b.invoke?.status, 200);
    await first.bot.idle();
    await second.bot.idle();
    assert.equal(secondCalls, 0, 'nothing exchanged twice');
    assert.equal(first.writes().length, 1, 'the command ran once (writes are the shared tenant’s)');
  });

  it('the other instance never ends its exchange: this client is answered 412 after its looks, and nothing runs', async () => {
    const user = first.user(0);
    const id = await ask(user, `cancel role-request ${first.seed.examples.roleRequestId}`);
    const desktop = exchange(first, user, id);
    await held.called;
    const web = await exchange(second, user, id);
    assert.equal(web.invoke?.status, 412, 'its card shows the Sign in button, whose pages do not wait for the lease');
    assert.equal(web.sent.length, 0, `nothing said: ${cardsOf(web.sent)}`);
    assert.equal(secondCalls, 0);
    await second.bot.idle();
    assert.equal(first.writes().length, 0, 'nothing ran');
    assert.ok(await first.signInFlow.pendingView(id), 'the command still waits');
    held.release();
    assert.equal((await desktop).invoke?.status, 200, 'the holder still runs it when it ends');
    await first.bot.idle();
    assert.equal(first.writes().length, 1);
  });

  it('the process stops while this client waits for the other instance: it is answered 412 at once, not after its looks', async () => {
    const user = first.user(0);
    const id = await ask(user, `cancel role-request ${first.seed.examples.roleRequestId}`);
    const desktop = exchange(first, user, id);
    await held.called;
    // Its pause never ends by itself: only the stop (app.ts stopPacing, at SIGTERM) ends the wait,
    // which would otherwise hold the stop's wait for the requests under way (shutdown.ts).
    lookAgain = new Promise(() => {});
    const web = exchange(second, user, id);
    await secondWaits;
    second.signInFlow.stopWaiting();
    const answered = await web;
    assert.equal(answered.invoke?.status, 412, 'its card shows the Sign in button');
    assert.equal(answered.sent.length, 0, `nothing said: ${cardsOf(answered.sent)}`);
    assert.equal(secondCalls, 0, 'nothing exchanged');
    held.release();
    assert.equal((await desktop).invoke?.status, 200, 'the holder still runs it');
  });

  it('the other instance never ends its exchange: this client is answered within the time Teams waits for an invoke', async () => {
    // Azure Bot Service answers the client 504 when the bot has not answered within 10 to 15 s,
    // depending on the channel (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance):
    // the 412 that shows the Sign in button must come before, with room for the looks' own reads
    // of the store, so the looks wait no longer than a click may take (CLICK_BUDGET_MS, 8 s).
    const user = first.user(0);
    const id = await ask(user, `cancel role-request ${first.seed.examples.roleRequestId}`);
    const desktop = exchange(first, user, id);
    await held.called;
    let paused = 0;
    const timed = new Rig(dir, {
      tenant: first.tenant,
      exchangePause: async (ms) => {
        paused += ms;
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    try {
      assert.equal((await exchange(timed, user, id)).invoke?.status, 412);
      assert.ok(paused > 0 && paused <= CLICK_BUDGET_MS, `its looks waited ${paused} ms in all`);
    } finally {
      held.release();
      await desktop;
      await first.bot.idle();
      await timed.close();
    }
  });

  it('two more clients reaching the same instance while the holder never ends: both 412, after one round of looks', async () => {
    const user = first.user(0);
    const id = await ask(user, `cancel role-request ${first.seed.examples.roleRequestId}`);
    const desktop = exchange(first, user, id);
    await held.called;
    const looks = { n: 0 };
    const counting = new Rig(dir, {
      tenant: first.tenant,
      exchangePause: async () => {
        looks.n++;
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    try {
      const [web, phone] = await Promise.all([exchange(counting, user, id), exchange(counting, user, id)]);
      assert.deepEqual([web.invoke?.status, phone.invoke?.status], [412, 412]);
      assert.equal(looks.n, HOLDER_POLLS, 'the second waits for the first, not for a round of its own');
    } finally {
      held.release();
      await desktop;
      await first.bot.idle();
      await counting.close();
    }
  });
});
