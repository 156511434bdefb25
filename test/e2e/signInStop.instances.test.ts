// A token exchange that reaches an instance while the user's other client's exchange of the same
// card is held on another instance waits for how that one ends (README, sign-in). When the waiting
// instance is stopped (SIGTERM), the wait ends at once (app.ts wires the stop to the exchanges):
// the exchange is answered 412, as when its looks run out, so its client shows the Sign in button
// (Teams SSO: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code),
// and the stop does not wait out its looks (up to 5 s). Two processes share one state directory;
// the first holds the card: its token request to Entra is held by a loopback proxy until the end.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EntraProxy, startEntraProxy } from './entraProxy';
import { BotProcess, World, invoke, isCard, message, post, startBot, startWorld, userOf } from './harness';

describe('a token exchange waiting for another instance while its own instance stops', function () {
  this.timeout(60_000);
  let world: World;
  let one: BotProcess | undefined;
  let two: BotProcess | undefined;
  let proxy: EntraProxy | undefined;
  let dir: string;
  /** Token requests held by the proxy (the first instance's exchange), answered at the end. */
  const held: Array<() => void> = [];

  before(async () => {
    world = await startWorld();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signin-stop-'));
    proxy = await startEntraProxy(world, dir, (reply) => {
      held.push(() => reply(400, { error: 'invalid_grant', error_codes: [500133] }));
    });
    const env = world.botEnv({ STATE_DIRECTORY: dir, ...proxy.env });
    one = await startBot(world, env);
    two = await startBot(world, env);
  });

  after(async () => {
    for (const go of held.splice(0)) go();
    await two?.stop();
    await one?.stop();
    await proxy?.close();
    await world?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is answered 412 at once, and the instance stops cleanly', async () => {
    const admin = userOf(world.seed, 0);
    const typed = message(world, admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    const conv = (typed.conversation as { id: string }).id;
    const mark = world.calls.length;
    assert.equal((await post(world, one!, typed)).status, 200);
    const oauth = await world.waitFor(
      (c) =>
        world.calls.indexOf(c) >= mark &&
        c.conversationId === conv &&
        isCard(c, 'application/vnd.microsoft.card.oauth'),
    );
    const id = (oauth.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>)[0]!.content
      .tokenExchangeResource.id;
    const exchangeOn = (bot: BotProcess) =>
      post(
        world,
        bot,
        invoke(world, admin, 'signin/tokenExchange', {
          id,
          connectionName: '',
          token: world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId),
        }),
      );

    // The desktop's exchange holds the card on the first instance: its token request is held.
    const desktop = exchangeOn(one!).catch(() => null);
    const deadline = Date.now() + 20_000;
    while (held.length === 0) {
      if (Date.now() > deadline) throw new Error('the first exchange never reached Entra');
      await new Promise((r) => setTimeout(r, 10));
    }
    // The phone's reaches the second instance, which looks again and again for the holder's end.
    const stopped = two!;
    const phone = exchangeOn(stopped);
    // Time for the request to arrive; the looks it would otherwise wait out last 5 s.
    await new Promise((r) => setTimeout(r, 400));
    const exited = new Promise<void>((r) => stopped.child.once('close', () => r()));
    const signalled = Date.now();
    stopped.child.kill('SIGTERM');
    const answer = await phone;
    const tookMs = Date.now() - signalled;
    await exited;
    two = undefined;

    assert.equal(answer.status, 412, `its card shows the Sign in button; got ${answer.status} ${answer.body}`);
    assert.ok(tookMs < 2500, `answered ${tookMs} ms after the signal, not after its looks`);
    assert.equal(stopped.child.exitCode, 0, stopped.stderr());
    assert.equal(held.length, 1, 'the phone exchanged nothing');
    for (const go of held.splice(0)) go();
    await desktop;
  });
});
