// After a write whose answer was lost (a 5xx or no answer: its outcome is unknown,
// https://learn.microsoft.com/en-us/graph/errors#http-status-codes), the item read still open is
// sent once more (src/domain/uncertainWrite.ts). A re-send refused for its own sake (its token
// refused, 401; the rights, 403; the item not found, 404; a licence, or a token that could not be
// had) tells only that the re-send did nothing: the first write went out and may still land. What
// the person is told, and what the audit line keeps (mayHaveTakenEffect, so the "actions taken"
// alert says the same), is the first write's unknown outcome, never "nothing was changed".

import { strict as assert } from 'node:assert';
import {
  DomainError,
  NO_GRAPH,
  NotFoundError,
  NotLicensedError,
  NotPermittedError,
  SignInRequiredError,
  UpstreamError,
} from '../../src/domain/errors';
import type { GraphPort } from '../../src/domain/governancePorts';
import { CATALOG, Target } from '../../src/domain/operations';
import { outcomeUnknown } from '../../src/domain/unknownOutcome';
import { recoverAfterUncertainWrite } from '../../src/domain/uncertainWrite';

const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' } };
const g = (status: number) => ({ ...NO_GRAPH, status, requestId: 'rid-resend' });

const refusals: ReadonlyArray<[string, () => DomainError]> = [
  ['401 (the token refused)', () => new SignInRequiredError('Graph refused the token.', 'unknown', g(401))],
  ['no token to send it with', () => new SignInRequiredError('No token could be had.')],
  ['403 (rights)', () => new NotPermittedError('Not permitted.', g(403))],
  ['404 (not found)', () => new NotFoundError('Not found.', g(404))],
  ['403 (licence)', () => new NotLicensedError('No licence.', g(403))],
];

describe('a re-send refused for its own sake after a lost answer', () => {
  for (const [name, refusal] of refusals) {
    it(`${name}: the first write's unknown outcome is what is told`, async () => {
      let reads = 0;
      let writes = 0;
      const graph = {
        readState: async () => {
          reads++;
          return { state: CATALOG[target.operation].allowedStates[0], item: {}, graph: NO_GRAPH };
        },
        write: async () => {
          writes++;
          throw refusal();
        },
      } as unknown as GraphPort;
      const first = new UpstreamError(
        'Microsoft Graph did not answer in time; the action may or may not have taken effect.',
      );
      const now = Date.now();
      let thrown: unknown;
      await recoverAfterUncertainWrite(
        { graph, now: () => now, left: () => undefined, sleep: async () => undefined },
        first,
        target,
        { aadObjectId: 'u1', getToken: async () => 'token' },
        now,
      ).catch((e: unknown) => (thrown = e));
      assert.equal(writes, 1, 'one re-send');
      assert.ok(reads >= 1);
      assert.equal(thrown, first, `told: ${String(thrown)}`);
      // What auditLine.ts keeps as mayHaveTakenEffect, and the alert's words follow.
      assert.ok(outcomeUnknown(thrown as DomainError));
    });
  }
});
