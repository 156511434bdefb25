// "my approvals" and "my requests" from a user the bot holds no token for: like every other
// command, the list waits for sign-in (OAuth card with the sign-in page button) and its card is
// posted when the sign-in completes, by token exchange or verifyState, on any instance. A list
// card's button without a token asks for sign-in as any card button does.
// Microsoft docs pinned here:
// - OAuth card, signin/tokenExchange and its SSO fallback button:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// - signin/verifyState after the bot's own sign-in pages:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
// - Universal Actions loginRequest (statusCode 401, an OAuth card as value):
//   https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/authentication-flow-in-universal-action-for-adaptive-cards

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import * as fs from 'node:fs';
import { pressedData } from '../fixtures/pressedData';
import { Target } from '../../src/domain/operations';
import { BOT_ORIGIN, Rig, RigOptions, User, cardsOf } from './botRig';
import { keepRequestsShowing } from './listSession';

/** The OAuth card of a turn: its exchange id, its Sign in button's URL and its text. */
function oauthOf(sent: ReadonlyArray<Partial<Activity>>) {
  const card = sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
  assert.ok(card, `an OAuth card: ${cardsOf(sent)}`);
  const content = card.content as {
    text: string;
    tokenExchangeResource: { id: string };
    buttons: Array<{ value: string }>;
  };
  return { id: content.tokenExchangeResource.id, url: content.buttons[0]?.value, text: content.text };
}

/** Graph reads of the user's lists (the $batch's parts are logged one by one, with their token). */
function listReads(r: Rig) {
  return r.tenant.graphRequests().filter((q) => q.method === 'GET');
}

describe('list commands that wait for sign-in', () => {
  let dir: string;
  let rigs: Rig[];
  let megan: User;

  const rig = (opts: RigOptions = {}): Rig => {
    const r = new Rig(dir, opts);
    rigs.push(r);
    return r;
  };

  beforeEach(() => {
    dir = Rig.dir();
    rigs = [];
  });
  afterEach(async () => {
    for (const r of rigs) await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('my approvals with no token: the OAuth card; after the token exchange (on another instance) the list card arrives', async () => {
    const first = rig();
    const other = rig({ tenant: first.tenant });
    megan = first.user(0);
    const asked = await first.message(megan, 'my approvals');
    const card = oauthOf(asked.sent);
    assert.equal(card.url, `${BOT_ORIGIN}/auth/start?s=${card.id}`, 'the sign-in page button, never empty');
    assert.doesNotMatch(cardsOf(asked.sent), /Sign in first/);
    assert.equal(listReads(first).length, 0, 'nothing read before sign-in');

    const exchange = await other.invoke(megan, 'signin/tokenExchange', {
      id: card.id,
      connectionName: '',
      token: other.sso(megan),
    });
    assert.equal(exchange.invoke?.status, 200);
    await other.bot.idle();
    assert.match(cardsOf(other.sent), /Waiting for your approval/);
    const reads = listReads(other);
    assert.ok(reads.length > 0);
    assert.ok(
      reads.every((q) => q.tokenClaims?.oid === megan.aadObjectId),
      'read as the user',
    );
  });

  it('my requests with no token: after the sign-in pages, verifyState posts the list card', async () => {
    const r = rig();
    megan = r.user(0);
    const asked = await r.message(megan, 'my requests');
    const { id } = oauthOf(asked.sent);
    // What the sign-in pages do: keep the redeemed token, hand Teams a one-time state.
    assert.ok((await r.signInFlow.accept({ ...megan, tenantId: r.seed.tenantId }, r.sso(megan))).ok);
    const state = await r.signInStates.issueVerify(id, megan.aadObjectId);

    const verify = await r.invoke(megan, 'signin/verifyState', { state });
    assert.equal(verify.invoke?.status, 200);
    await r.bot.idle();
    assert.match(cardsOf(r.sent), /Your pending requests/);
  });

  it('silent SSO without consent: the OAuth card asks for consent, the list waiting for it', async () => {
    const r = rig({ silent: true });
    const alex = r.user(r.seed.users.findIndex((u) => u.id === r.seed.selfService.consentUserId));
    const asked = await r.message(alex, 'my approvals');
    const card = oauthOf(asked.sent);
    assert.equal((await r.signInFlow.pendingView(card.id))?.reason, 'consent');
  });

  it('a list row button with no token: a loginRequest for a remembered click (execute), the OAuth card (submit)', async () => {
    const r = rig();
    megan = r.user(0);
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'list-1', target);
    // A list card is posted with its snapshot (its rows, kept 14 days), showing the row.
    await keepRequestsShowing(r, megan, 'list-1', target);
    const data = pressedData(target, { list: 'requests' });

    const login = await r.invoke(
      megan,
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' },
      { replyToId: 'list-1' },
    );
    const body = login.invoke?.body as { statusCode: number; value: { tokenExchangeResource: { id: string } } };
    assert.equal(body.statusCode, 401);
    const id = body.value.tokenExchangeResource.id;
    assert.ok(await r.signInFlow.pendingView(id), "the login request's sign-in page has a sign-in to complete");

    const submitted = await r.message(megan, '', { text: undefined, value: data, replyToId: 'list-1' } as never);
    const card = oauthOf(submitted.sent);
    assert.ok(await r.signInFlow.pendingView(card.id));
    assert.equal(r.writes().length, 0);
  });
});
