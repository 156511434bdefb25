// A sign-in Microsoft Entra refuses for a reason no new sign-in mends (the organization's
// cross-tenant access settings, an account not assigned to the app, disabled or not in the
// directory, a Conditional Access block, the app's own registration) is not titled "Sign-in
// needed": the card's next step says signing in again will not help, and a title asking for a
// sign-in contradicted it. AADSTS500212 and 500213 (cross-tenant access settings), 50105, 50057,
// 50034, 53003: https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { CATALOG } from '../../src/domain/operations';
import { SignInRequiredError } from '../../src/domain/errors';
import type { SignInFailureReason } from '../../src/domain/signInReasons';

const spec = CATALOG.decideRoleApproval;
const NO_HELP: readonly SignInFailureReason[] = [
  'crossTenantInbound',
  'crossTenantOutbound',
  'notAssigned',
  'notInDirectory',
  'accountDisabled',
  'blocked',
  'configuration',
];

describe('sign-in refusals no new sign-in mends', () => {
  for (const reason of NO_HELP)
    it(`${reason}: titled as refused, not as a sign-in to do`, () => {
      for (const by of ['command', 'commandAlone', 'button'] as const) {
        const w = explain(new SignInRequiredError('x', reason), spec, undefined, by);
        assert.match(w.next, /will not help/);
        assert.equal(w.title, 'Sign-in refused');
      }
    });

  for (const reason of ['consent', 'mfa', 'expired', 'device', 'password', 'unknown'] as const)
    it(`${reason}: still "Sign-in needed"`, () => {
      const w = explain(new SignInRequiredError('x', reason), spec, undefined, 'command');
      assert.doesNotMatch(w.next, /will not help/);
      assert.equal(w.title, 'Sign-in needed');
    });
});
