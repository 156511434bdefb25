// Entra not finding the bot's tenant or its app when the bot asks for its own token is a fault of
// the deployment, like refused credentials: AADSTS90002 "InvalidTenantName - The tenant name wasn't
// found in the data store. Check to make sure you have the correct tenant ID" and AADSTS700016
// "UnauthorizedClient_DoesNotMatchRequest - The application wasn't found in the directory/tenant
// ... You might have misconfigured the identifier value for the application or sent your
// authentication request to the wrong tenant"
// (https://learn.microsoft.com/entra/identity-platform/reference-error-codes). Entra sends them
// with `invalid_request` ("Fix and resubmit the request") or `unauthorized_client`: the same request
// sent again meets the same answer, so six attempts only delay the word an administrator needs.
// The errors are the ones botframework-connector's credentials throw (test/fixtures/botTokenAnswer.ts).

import { strict as assert } from 'node:assert';
import { AuthenticationError } from '@azure/identity';
import { refusedDeployment } from '../../src/notifications/connectorRefusal';
import { classifySendError } from '../../src/notifications/delivery';
import { TokenAnswer, botTokenFailure, entraError } from '../fixtures/botTokenAnswer';
import { USER, connector, deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';

const TENANT_NOT_FOUND = entraError(
  400,
  'invalid_request',
  90002,
  "Tenant '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.",
);
const appNotFound = (error: string): TokenAnswer =>
  entraError(
    400,
    error,
    700016,
    "Application with identifier '5e6f7081-92a3-4b4c-8d5e-6f708192a3b4' was not found in the directory 'Contoso'. You may have sent your authentication request to the wrong tenant.",
  );

async function thrown(answer: TokenAnswer): Promise<Error> {
  const e = await botTokenFailure(answer);
  assert.ok(e instanceof Error, 'the credentials must throw');
  return e;
}

describe("delivery: Entra not finding the bot's tenant or app is a deployment fault", () => {
  const session = deliverySession();

  it('settles a tenant Entra does not know at once, naming the tenant id to check', async () => {
    const failure = classifySendError(await thrown(TENANT_NOT_FOUND));
    assert.equal(failure.kind, 'undeliverable');
    if (failure.kind !== 'undeliverable') return;
    assert.equal(failure.forgetRecipient, false);
    assert.deepEqual(failure.deploymentFault, { status: 400, code: 'AADSTS90002' });
    assert.match(failure.reason, /did not find the bot's tenant \(400 invalid_request, AADSTS90002\)/);
    assert.match(failure.reason, /MicrosoftAppTenantId/);
    assert.match(failure.reason, /The recipient and the channel are kept/);
    // @azure/identity's error (a managed identity's or a federated credential's) keeps Entra's body.
    const identity = new AuthenticationError(400, { ...TENANT_NOT_FOUND.body, error: 'invalid_request' });
    assert.deepEqual(refusedDeployment(identity)?.code, 'AADSTS90002');
    // An OAuth error the reference does not name is text from outside: never repeated.
    const odd = new AuthenticationError(400, { ...TENANT_NOT_FOUND.body, error: '<b>see https://x.example</b>' });
    assert.match(refusedDeployment(odd)?.reason ?? '', /did not find the bot's tenant \(400, AADSTS90002\)/);
  });

  it('settles an app Entra does not find in the tenant at once, whichever OAuth error comes with it', async () => {
    for (const error of ['invalid_request', 'unauthorized_client']) {
      const failure = classifySendError(await thrown(appNotFound(error)));
      assert.equal(failure.kind, 'undeliverable', error);
      if (failure.kind !== 'undeliverable') continue;
      assert.equal(failure.forgetRecipient, false);
      assert.deepEqual(failure.deploymentFault, { status: 400, code: 'AADSTS700016' });
      assert.match(
        failure.reason,
        new RegExp(`did not find the bot's app in its tenant \\(400 ${error}, AADSTS700016\\)`),
      );
      assert.match(failure.reason, /MicrosoftAppId and MicrosoftAppTenantId/);
    }
  });

  it('still tries again an invalid_request whose number says it is transient', async () => {
    // AADSTS90024 "RequestBudgetExceededError - A transient error has occurred. Try again."
    const e = await thrown(entraError(400, 'invalid_request', 90024, 'A transient error has occurred. Try again.'));
    assert.deepEqual(classifySendError(e), { kind: 'retry', afterMs: null, status: null });
  });

  it('ends the event after one attempt, the recipient kept', async () => {
    const c = connector([await thrown(TENANT_NOT_FOUND)]);
    const { store, references, worker } = await session.instance(c.send);
    await store.accept(roleEvent('d1'));
    worker.start();
    await eventually(async () => (await store.get('d1'))?.state !== 'queued', 'the outcome');
    const rec = await store.get('d1');
    assert.equal(rec?.state, 'undeliverable');
    assert.equal(rec?.attempts, 1);
    assert.match(String(rec?.reason), /AADSTS90002/);
    assert.equal(c.sent.length, 0);
    assert.notEqual(await references.forUser(USER), null, 'the recipient is not forgotten');
  });
});
