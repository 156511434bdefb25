// signin/verifyState takes the command that waited for the sign-in only right before it is run
// (or asked for again): a state store that fails while the verify still reads (the user's sign-out
// mark, which decides whether this instance's token may be used) must leave the command waiting,
// so the card's Sign in button can still run it. Teams sends signin/verifyState once the sign-in
// page called notifySuccess: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SignOutMarks } from '../../src/auth/signOuts';
import { SignInFlow } from '../../src/auth/sso';
import { DelegatedToken, OboExchanger, UserTokenCache } from '../../src/auth/tokens';
import { StateUnavailableError } from '../../src/state/port';
import { SignInStates } from '../../src/state/signInStates';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';
import { PASSWORD_RESET_PAGES } from '../../src/configClouds';

const TENANT = '11111111-2222-4333-8444-555555555555';
const ALICE = 'aaaaaaaa-1111-4111-8111-111111111111';
const never: OboExchanger = {
  exchange: (): Promise<DelegatedToken> => Promise.reject(new Error('no exchange in this test')),
};

/** Sign-out marks whose reads fail while `failing` (the state store is unavailable). */
class FlakyMarks extends SignOutMarks {
  failing = false;
  override current(aadObjectId: string): Promise<string | null> {
    if (this.failing) return Promise.reject(new StateUnavailableError('state store unavailable'));
    return super.current(aadObjectId);
  }
}

describe('signin/verifyState and the command that waited', () => {
  let dir: string;
  let state: SqliteState;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-verify-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a state store that fails before the command is taken leaves it waiting for the Sign in button', async () => {
    const marks = new FlakyMarks(state.records);
    const states = new SignInStates(state.records);
    const flow = new SignInFlow<string>({
      exchanger: never,
      cache: new UserTokenCache(),
      pending: new PendingSignIns<string>(state.records),
      resourceUri: null,
      passwordResetPage: PASSWORD_RESET_PAGES.global,
      signInUrl: (id) => `https://bot.contoso.test/auth/start?s=${id}`,
      states,
      signOuts: marks,
    });
    const { id } = await flow.begin(ALICE, 'cancel it');
    // The end page kept the page's token and handed Teams the verify state.
    assert.equal(await flow.signedIn(ALICE, 'graph-token-of-alice', Date.now() + 3_600_000, id), true);
    const verifyState = await states.issueVerify(id, ALICE);

    marks.failing = true;
    await assert.rejects(flow.verify(verifyState, { aadObjectId: ALICE, tenantId: TENANT }), StateUnavailableError);
    marks.failing = false;
    assert.ok(await flow.pendingView(id), 'the command still waits');

    // The card's Sign in button again: a new verify state runs it.
    const again = await flow.verify(await states.issueVerify(id, ALICE), { aadObjectId: ALICE, tenantId: TENANT });
    assert.deepEqual(again, { kind: 'signedIn', payload: 'cancel it' });
  });
});
