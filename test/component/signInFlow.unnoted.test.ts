// A refused token exchange whose state store fails both times it tries to let go of the sign-in
// (tokenExchange.ts letGo; log event signin.tokenExchange.notNoted): the reason (consent, MFA, a
// fresh login) and Entra's claims challenge are not noted for the start page. The Sign in card the
// user gets with the 412 then carries them in its link, so the page still asks Entra for exactly
// that. In process: the real handler, the bot's sign-in pages and the simulated tenant
// (signInFlowSession.ts).
// Microsoft docs pinned here:
// - a failed exchange is answered 412 and the user signs in on the bot's page instead:
//   https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// - a claims challenge must be sent to the authorize endpoint, or the new token is refused again:
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-conditional-access-dev-guide
// - prompt=consent and claims on the authorize request:
//   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { Records, StateUnavailableError } from '../../src/state/port';
import { bodyData } from '../fixtures/signInBrowser';
import { Rig } from './botRig';
import { named, oauthOf, signInFlowSession } from './signInFlowSession';

/** The waiting sign-ins' records, whose writes that end a lease (an entry written without one)
 * fail while `failing`: the state store is unavailable just as the exchange lets go. */
function failingRelease(records: Records): Records & { failing: boolean } {
  const r: Records & { failing: boolean } = {
    failing: false,
    get: (key) => records.get(key),
    create: (key, value, expiry) => records.create(key, value, expiry),
    replace: (key, value, version, expiry) => {
      const ends = key.startsWith('signin:') && (value as { lease?: unknown }).lease === undefined;
      if (ends && r.failing) return Promise.reject(new StateUnavailableError('state store unavailable'));
      return records.replace(key, value, version, expiry);
    },
    put: (key, value, expiry) => records.put(key, value, expiry),
    delete: (key, version) => records.delete(key, version),
  };
  return r;
}

/** The Sign in card among the activities, when there is one (its button's link). */
function signInLink(sent: ReadonlyArray<Partial<Activity>>): URL | null {
  const card = sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
  const buttons = (card?.content as { buttons?: Array<{ value: string }> } | undefined)?.buttons;
  return buttons?.[0] ? new URL(buttons[0].value) : null;
}

describe('sign-in that never dead-ends: a refused exchange whose reason the state store did not take', function () {
  this.timeout(20_000);
  const session = signInFlowSession();

  function failingInstance() {
    let records!: ReturnType<typeof failingRelease>;
    const rig = new Rig(session.dir, {
      tenant: session.tenant,
      botOrigin: session.base,
      clock: session.clock,
      pendingRecords: (inner) => (records = failingRelease(inner)),
    });
    session.rigs.push(rig);
    return { rig, records };
  }

  it('MFA: the Sign in card sent with the 412 carries the claims challenge, and the page sends it to Entra', async () => {
    const { rig, records } = failingInstance();
    const isaiah = named(rig, 'Isaiah Langer');
    const card = oauthOf(
      (await rig.message(isaiah, `cancel role-request ${rig.seed.selfService.mfaUserRoleRequestId}`)).sent,
    );
    records.failing = true;
    const exchange = await rig.invoke(isaiah, 'signin/tokenExchange', {
      id: card.id,
      connectionName: '',
      token: rig.sso(isaiah),
    });
    records.failing = false;
    assert.equal(exchange.invoke?.status, 412);
    assert.equal((await rig.signInFlow.pendingView(card.id))?.claims, undefined, 'the store did not take it');

    const link = signInLink(exchange.sent);
    assert.ok(link, 'a Sign in card with the 412');
    assert.equal(link.searchParams.get('s'), card.id);
    assert.equal(link.searchParams.get('r'), 'mfa');
    const claims = link.searchParams.get('c');
    assert.match(claims ?? '', /"capolids"/, "Entra's claims challenge is in the link");
    assert.ok(link.toString().length < 1024, 'a short link');

    const end = await session.browser.signIn(link.toString(), { userId: isaiah.aadObjectId });
    const authorize = new URL(session.browser.visited.find((u) => u.includes('/oauth2/v2.0/authorize'))!);
    assert.equal(authorize.searchParams.get('claims'), claims, 'the page asks Entra for the claims');
    assert.equal(bodyData(end.body, 'outcome'), 'success', end.body);
    const verify = await session.rigs[0]!.invoke(isaiah, 'signin/verifyState', { state: bodyData(end.body, 'state') });
    assert.equal(verify.invoke?.status, 200);
    await session.rigs[0]!.bot.idle();
    assert.equal(rig.writes().length, 1, 'the command ran, once');
  });

  it('consent: the card’s link says so, and the page asks Entra with prompt=consent', async () => {
    const { rig, records } = failingInstance();
    const alex = named(rig, 'Alex Wilber');
    const card = oauthOf(
      (await rig.message(alex, `cancel access-request ${rig.seed.selfService.consentUserAccessRequestId}`)).sent,
    );
    records.failing = true;
    const exchange = await rig.invoke(alex, 'signin/tokenExchange', {
      id: card.id,
      connectionName: '',
      token: rig.sso(alex),
    });
    records.failing = false;
    assert.equal(exchange.invoke?.status, 412);
    const link = signInLink(exchange.sent);
    assert.ok(link, 'a Sign in card with the 412');
    assert.equal(link.searchParams.get('r'), 'consent');
    assert.equal(link.searchParams.get('c'), null, 'no claims for consent');

    await session.browser.signIn(link.toString(), { userId: alex.aadObjectId });
    const authorize = new URL(session.browser.visited.find((u) => u.includes('/oauth2/v2.0/authorize'))!);
    assert.equal(authorize.searchParams.get('prompt'), 'consent');
  });

  it('a store that takes the reason: the answer stays the card that says why, the page reads the noted reason', async () => {
    const { rig } = failingInstance();
    const alex = named(rig, 'Alex Wilber');
    const card = oauthOf(
      (await rig.message(alex, `cancel access-request ${rig.seed.selfService.consentUserAccessRequestId}`)).sent,
    );
    const exchange = await rig.invoke(alex, 'signin/tokenExchange', {
      id: card.id,
      connectionName: '',
      token: rig.sso(alex),
    });
    assert.equal(exchange.invoke?.status, 412);
    assert.equal(signInLink(exchange.sent), null);
    assert.equal((await rig.signInFlow.pendingView(card.id))?.reason, 'consent');
  });
});
