// A send that fails on the bot's own token, before anything reached Teams. botframework-connector
// gets the bot's token inside the send (MsalAppCredentials: MSAL's `acquireTokenByClientCredential`),
// and the error comes out of the send unchanged: MSAL's ServerError carries the HTTP status of
// Microsoft Entra ID's token endpoint in `status`, @azure/identity's AuthenticationError in
// `statusCode`. That status is Entra's answer, not Teams': an Entra 500 or 503 is a transient fault
// of the token service, to be tried again
// (https://learn.microsoft.com/entra/identity-platform/reference-error-codes: server_error,
// temporarily_unavailable: "Retry the request"), never Teams' 500 "the card may or may not have
// been posted" (nothing was posted), and a 404 from a managed identity endpoint is no refusal by the
// conversation, so the recipient is not forgotten. Teams' own answers, by its table:
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis

import { strict as assert } from 'node:assert';
import { AggregateAuthenticationError, AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { ServerError } from '@azure/msal-node';
import { MsalAppCredentials } from 'botframework-connector';
import { readRefusal } from '../../src/notifications/connectorRefusal';
import { classifySendError } from '../../src/notifications/delivery';
import { lastAnswerWords } from '../../src/notifications/noAnswer';
import { botTokenFailure } from '../fixtures/botTokenAnswer';
import { USER, connector, deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';

/** What MSAL throws when Entra's token endpoint answers `status` with an OAuth error body. */
const entraRefused = (status: number, error = 'server_error'): Error =>
  new ServerError(error, 'correlation', `AADSTS50000: There was an error issuing a token.`, '', undefined, status);

describe("delivery: a failure on the bot's own token is not an answer from Teams", () => {
  const session = deliverySession();

  it('reads an Entra 500 or 503 at the token as a send to try again, with no status of Teams', () => {
    for (const status of [500, 503]) {
      assert.deepEqual(
        classifySendError(entraRefused(status)),
        { kind: 'retry', afterMs: null, status: null },
        `${status}`,
      );
    }
  });

  it("reads a token endpoint's 404 as no refusal by the conversation", () => {
    const identity = new AuthenticationError(404, { error: 'invalid_request', error_description: 'updating' });
    assert.deepEqual(readRefusal(identity), { kind: 'other' });
    assert.deepEqual(readRefusal(entraRefused(404, 'invalid_request')), { kind: 'other' });
  });

  it('delivers the card once the token comes, the attempt with none counted', async () => {
    const c = connector([entraRefused(500)]);
    const { store, worker } = await session.instance(c.send);
    await store.accept(roleEvent('t1'));
    worker.start();
    await eventually(async () => (await store.get('t1'))?.state !== 'queued', 'the outcome');
    const rec = await store.get('t1');
    assert.equal(rec?.state, 'delivered', String(rec?.reason));
    assert.equal(rec?.attempts, 2);
    assert.equal(c.sent.length, 1);
  });

  it('a token that never comes ends undeliverable saying so, the recipient kept', async () => {
    const identity = new AuthenticationError(404, { error: 'invalid_request', error_description: 'updating' });
    const c = connector([entraRefused(500), identity, entraRefused(500)]);
    const { store, references, worker } = await session.instance(c.send, { maxAttempts: 3 });
    await store.accept(roleEvent('t2'));
    worker.start();
    await eventually(async () => (await store.get('t2'))?.state !== 'queued', 'the outcome');
    const rec = await store.get('t2');
    assert.equal(rec?.state, 'undeliverable');
    assert.equal(rec?.attempts, 3);
    assert.match(String(rec?.reason), /after 3 attempts \(last: the bot could not get its own token/);
    assert.doesNotMatch(String(rec?.reason), /may or may not have been posted|refused the conversation/);
    assert.notEqual(await references.forUser(USER), null, 'the recipient is not forgotten');
  });

  // With a managed identity (MicrosoftAppType UserAssignedMSI), botframework-connector asks
  // @azure/identity, whose failures carry no status: the reason still names the token.
  it("names a managed identity's failure as the bot's token, not as no answer", () => {
    const unavailable = new CredentialUnavailableError('ManagedIdentityCredential: Authentication failed.');
    for (const e of [unavailable, new AggregateAuthenticationError([unavailable])]) {
      assert.equal(classifySendError(e).kind, 'retry');
      assert.equal(lastAnswerWords(null, e), 'the bot could not get its own token from Microsoft Entra ID', e.name);
    }
  });

  // botframework-connector's own plain errors when the token service answered without a token:
  // Entra's token endpoint answering 200 with no access_token (MSAL then gives an empty one, and
  // AppCredentials.getToken throws "No response or error received from MSAL."), or MSAL giving no
  // result at all (MsalAppCredentials: "No access token received from MSAL."). Nothing reached Teams.
  it("names botframework-connector's no-token errors as the bot's token, tried again", async () => {
    const noToken = await botTokenFailure({ status: 200, body: { token_type: 'Bearer', expires_in: 3599 } });
    assert.ok(noToken instanceof Error);
    assert.equal(noToken.message, 'Authentication: No response or error received from MSAL.');
    const Credentials = MsalAppCredentials as unknown as new (app: unknown, ...rest: string[]) => MsalAppCredentials;
    const noResult = await new Credentials(
      { acquireTokenByClientCredential: () => Promise.resolve(null) },
      'app',
      '',
      's',
    )
      .getToken(true)
      .then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e as Error,
      );
    assert.equal(noResult.message, 'Authentication: No access token received from MSAL.');
    for (const e of [noToken, noResult]) {
      assert.deepEqual(classifySendError(e), { kind: 'retry', afterMs: null, status: null }, e.message);
      assert.deepEqual(readRefusal(e), { kind: 'other' });
      assert.equal(lastAnswerWords(null, e), 'the bot could not get its own token from Microsoft Entra ID', e.message);
    }
    // The same words from anything else are no token failure.
    const lookalike = new TypeError('Authentication: No response or error received from MSAL.');
    assert.equal(lastAnswerWords(null, lookalike), 'no answer');
  });

  // A secret expired or mistyped (AADSTS7000215, `invalid_client`, 401) or an app id the tenant does
  // not know (AADSTS700016, `unauthorized_client`, 400) is no outage: retrying cannot help, and it is
  // the deployment that an administrator must fix, so it is told as such at once.
  // https://learn.microsoft.com/entra/identity-platform/reference-error-codes
  it("settles a refusal of the bot's own credentials at once as a deployment fault, the recipient kept", () => {
    const refused = [
      entraRefused(401, 'invalid_client'),
      entraRefused(400, 'unauthorized_client'),
      new AuthenticationError(401, { error: 'invalid_client', error_description: 'AADSTS7000215' }),
    ];
    for (const e of refused) {
      const failure = classifySendError(e);
      assert.equal(failure.kind, 'undeliverable', e.name);
      if (failure.kind !== 'undeliverable') continue;
      assert.equal(failure.forgetRecipient, false);
      assert.match(failure.deploymentFault?.code ?? '', /^(invalid|unauthorized)_client$/);
      assert.match(
        failure.reason,
        /refused the bot's own credentials \((401 invalid_client|400 unauthorized_client)\)/,
      );
      assert.match(failure.reason, /client secret or certificate/);
    }
  });
});
