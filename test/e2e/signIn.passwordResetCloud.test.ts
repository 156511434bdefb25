// The bot as production starts it (node dist/src/index.js, its environment only) with CLOUD=usgov:
// an expired password's words name Azure Government's password reset page,
// https://passwordreset.microsoftonline.us (the Microsoft Entra ID row of "Guidance for
// developers": passwordreset.microsoftonline.com is passwordreset.microsoftonline.us there,
// https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure), never
// the global service's https://aka.ms/sspr. Two places the running bot builds from its CLOUD
// (app.ts the reply cards, appRoutes.ts the sign-in pages) say it: the problem card after a token
// exchange Entra refused (AADSTS50055 InvalidPasswordExpiredPassword,
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes) and the sign-in
// end page after the authorize endpoint sent the same refusal back.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EntraProxy, startEntraProxy } from './entraProxy';
import { BotProcess, World, cardText, invoke, isCard, message, post, startBot, startWorld, userOf } from './harness';

const GOVERNMENT_PAGE = 'https://passwordreset.microsoftonline.us';
const EXPIRED_PASSWORD = {
  error: 'invalid_grant',
  error_description: 'AADSTS50055: The password is expired.',
  error_codes: [50055],
};

/** The page's text with its quotes and apostrophes as written (the page escapes them). */
const text = (html: string): string => html.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('CLOUD=usgov, as the bot starts: an expired password names the Azure Government reset page', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;
  let proxy: EntraProxy | undefined;
  let dir: string;

  before(async () => {
    world = await startWorld({ cloud: 'usgov' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-reset-page-'));
    // Every on-behalf-of exchange is refused as Entra refuses a user whose password expired.
    proxy = await startEntraProxy(world, dir, (reply) => reply(400, EXPIRED_PASSWORD));
    bot = await startBot(world, world.botEnv({ CLOUD: 'usgov', ...proxy.env }));
  });

  after(async () => {
    await bot?.stop();
    await proxy?.close();
    await world?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the card after the refused token exchange, and the sign-in end page', async () => {
    const admin = userOf(world.seed, 0);
    const typed = message(world, admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    const conv = (typed.conversation as { id: string }).id;
    let mark = world.calls.length;
    assert.equal((await post(world, bot, typed)).status, 200);
    const first = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
    assert.ok(isCard(first, 'application/vnd.microsoft.card.oauth'), 'an OAuth card first');
    const oauth = (first.activity.attachments as Array<{ content: Record<string, unknown> }>)[0]!.content;
    const id = (oauth.tokenExchangeResource as { id: string }).id;

    mark = world.calls.length;
    const token = world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId);
    const res = await post(world, bot, invoke(world, admin, 'signin/tokenExchange', { id, connectionName: '', token }));
    assert.equal(res.status, 412, res.body);
    const told = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
    const card = `${cardText(told)} ${JSON.stringify(told.activity)}`;
    assert.match(card, /password has expired/i, card);
    assert.ok(card.includes(GOVERNMENT_PAGE), card);
    assert.doesNotMatch(card, /aka\.ms\/sspr/, card);

    // The card's Sign in opens the bot's start page; Entra sends the same refusal back to its end page.
    const button = (oauth.buttons as Array<{ value: string }>)[0]!.value;
    const start = await fetch(button, { redirect: 'manual' });
    assert.equal(start.status, 302);
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const back = new URL(`${bot.url}/auth/end`);
    back.searchParams.set('error', EXPIRED_PASSWORD.error);
    back.searchParams.set('error_description', EXPIRED_PASSWORD.error_description);
    back.searchParams.set('state', state);
    const end = await fetch(back);
    const words = text(await end.text());
    assert.match(words, /Your password has expired/, words);
    assert.ok(words.includes(`Change it (at ${GOVERNMENT_PAGE}, or as your organization tells you)`), words);
    assert.doesNotMatch(words, /aka\.ms\/sspr/, words);
  });
});
