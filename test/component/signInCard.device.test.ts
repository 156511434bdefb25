// A Conditional Access policy that asks for a device the organization manages (AADSTS53000
// DeviceNotCompliant "The user must enroll their device with an approved MDM provider like Intune",
// 53001 DeviceNotDomainJoined, 50097 DeviceAuthenticationRequired:
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes) comes with a
// claims challenge, which the Sign in link carries to the start page as for MFA, so the authorize
// request asks Entra for the device it needs
// (https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge). The Sign in card's
// own words still say what is missing, a managed device, not multi-factor authentication, as the
// problem card does; a real MFA refusal, or a Conditional Access block with a claims challenge,
// keeps the MFA words.

import { strict as assert } from 'node:assert';
import { InteractionRequiredAuthError } from '@azure/msal-node';
import type { Activity } from 'botbuilder';
import { oboFailure } from '../../src/auth/oboExchanger';
import { Rig } from './botRig';
import { rigMadeInTest } from './rigPerTest';

const CLAIMS = '{"access_token":{"capolids":{"essential":true,"values":["c1"]}}}';

/** Entra's on-behalf-of refusal with AADSTS `code` and a claims challenge, as MSAL reports it. */
function refusal(code: number, description: string): Error {
  return oboFailure(
    new InteractionRequiredAuthError(
      'interaction_required',
      '',
      `AADSTS${code}: ${description}`,
      'basic_action',
      '',
      '',
      CLAIMS,
      String(code),
    ),
  );
}

/** The Sign in card among the activities: its words and its button's link. */
function signInCard(sent: ReadonlyArray<Partial<Activity>>): { text: string; link: URL } {
  const card = sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType.endsWith('card.oauth'));
  const content = card?.content as { text: string; buttons: Array<{ value: string }> } | undefined;
  assert.ok(content, 'a Sign in card');
  return { text: content.text, link: new URL(content.buttons[0]!.value) };
}

const DEVICE_WORDS =
  /only from a device it manages.*Select Sign in from such a device, or ask .*administrator how to enroll this one/;

describe('the Sign in card of a sign-in refused for a managed device says so, not MFA', () => {
  const rigIn = rigMadeInTest();

  /** A typed command whose silent exchange Entra refuses with `error`: its Sign in card. */
  async function typedCommandCard(error: Error) {
    const r: Rig = rigIn({ silent: true, obo: () => ({ exchange: () => Promise.reject(error) }) });
    const megan = r.user(0);
    return signInCard((await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`)).sent);
  }

  for (const [code, description] of [
    [53000, 'Device is not in required device state: compliant.'],
    [53001, 'Device is not in required device state: domain_joined.'],
    [50097, 'Device authentication is required.'],
  ] as const) {
    it(`AADSTS${code} with a claims challenge: device words, and the link still carries the challenge`, async () => {
      const { text, link } = await typedCommandCard(refusal(code, description));
      assert.doesNotMatch(text, /multi-factor/);
      assert.match(text, DEVICE_WORDS);
      assert.equal(link.searchParams.get('r'), 'mfa', 'the page asks as for MFA');
      assert.equal(link.searchParams.get('c'), CLAIMS, 'with the claims challenge');
    });
  }

  // AADSTS70043 BadTokenDueToSignInFrequency (reference-error-codes) with a claims challenge: a
  // fresh sign-in (prompt=login), and the challenge goes to the authorize request as any claims
  // challenge must ("pass the claims challenge ... in the claims parameter",
  // https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge).
  it('AADSTS70043 with a claims challenge: a fresh sign-in, and the link carries the challenge', async () => {
    const description =
      'The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.';
    const { text, link } = await typedCommandCard(refusal(70043, description));
    assert.match(text, /expired or was revoked\. Select Sign in/);
    assert.equal(link.searchParams.get('r'), 'expired');
    assert.equal(link.searchParams.get('c'), CLAIMS);
  });

  for (const [code, description] of [
    [50076, 'Due to a configuration change made by your administrator, you must use multi-factor authentication.'],
    [50078, 'Presented multi-factor authentication has expired due to policies configured by your administrator.'],
    [53003, 'Access has been blocked by Conditional Access policies.'],
  ] as const) {
    it(`AADSTS${code} with a claims challenge keeps the MFA words`, async () => {
      const { text, link } = await typedCommandCard(refusal(code, description));
      assert.match(text, /multi-factor authentication before Governance Bot can act as you\. Select Sign in/);
      assert.doesNotMatch(text, /device/);
      assert.equal(link.searchParams.get('c'), CLAIMS);
    });
  }
});
