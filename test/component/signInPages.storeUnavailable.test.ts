// The bot's own state store fails as the end page completes a sign-in (reading the authorize
// state, or keeping the token and writing the verify state after the code was redeemed): Entra
// answered and the person signed in, so the page must not blame "the sign-in service"; it says
// nothing is wrong with their sign-in, to select Sign in again in a moment, and gives as a
// reference the correlation id of the one error line logged for it (as the bot's own answers do:
// signInStoreError.ts). 503, as before. Never a token in the page or the log (the session checks).
// Microsoft docs pinned here:
// - The page ends the Teams window with notifyFailure(reason):
//   https://learn.microsoft.com/en-us/javascript/api/@microsoft/teams-js/authentication

import { strict as assert } from 'node:assert';
import { StateUnavailableError } from '../../src/state/port';
import { MEGAN, TENANT, dataAttr, signInPagesSession } from '../fixtures/signInPagesSession';

describe('sign-in end page: the bot’s own state store fails', function () {
  const session = signInPagesSession();

  /** The one error line, and that the page gives its correlation id and the right words. */
  function saysStoreFailed(end: { status: number; body: string }): void {
    assert.equal(end.status, 503);
    assert.equal(dataAttr(end.body, 'reason'), 'store_unavailable');
    assert.match(end.body, /Nothing is wrong with your sign-in/);
    assert.match(end.body, /could not use its own storage/);
    assert.match(end.body, /select Sign in again in a moment/);
    assert.doesNotMatch(end.body, /sign-in service could not be reached|SQLITE|state\.db/i);
    const errors = session.logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.level === 'error' || l.level === 'fatal');
    assert.equal(errors.length, 1, `one error line: ${JSON.stringify(errors)}`);
    const line = errors[0]!;
    assert.equal(line.event, 'signin.end.failed');
    assert.equal(line.reason, 'stateUnavailable');
    assert.match(String(line.store), /SQLITE_BUSY/, "the store's words are in the log");
    assert.match(String(line.correlationId), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(end.body.includes(`reference: ${String(line.correlationId)}.`), 'the page gives the same reference');
  }

  it('after the code was redeemed, keeping the sign-in fails: store_unavailable, with a reference', async () => {
    session.pending.set('p-store', { aadObjectId: MEGAN, tenantId: TENANT });
    session.signedInError = new StateUnavailableError('state store: get failed (SQLITE_BUSY)');
    const { end } = await session.signIn(session.pages.signInUrl('p-store'), MEGAN);
    saysStoreFailed(end);
  });

  it('reading the authorize state fails: store_unavailable, with a reference', async () => {
    session.pending.set('p-read', { aadObjectId: MEGAN, tenantId: TENANT });
    session.authority.nextUser = { id: MEGAN, tenantId: TENANT };
    const start = await session.page(session.pages.signInUrl('p-read'));
    const authorize = await session.page(String(start.headers.location), session.cert.ca);
    session.storeFailing = true;
    saysStoreFailed(await session.page(String(authorize.headers.location)));
  });
});
