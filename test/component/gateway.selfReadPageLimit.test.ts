// The self-service read of an access package request walks filterByCurrentUser(on='target') page
// by page (its id cannot be filtered on), at most 20 pages. `on='target'` lists every request of
// the user, current and past ("Retrieve a list of accessPackageAssignmentRequest objects filtered on
// the signed-in user", https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0),
// and Graph pages a long list with @odata.nextLink (https://learn.microsoft.com/graph/paging), so
// a long history can put the request past the pages read. The search that stopped there was
// worded as one that read everything: "not among yours", and a refused write's card said the
// request was not the user's own.

import { strict as assert } from 'node:assert';
import { NotPermittedError } from '../../src/domain/errors';
import { GovernanceService } from '../../src/domain/governance';
import { CATALOG, Target } from '../../src/domain/operations';
import { explain } from '../../src/cards/wording';
import { GraphGateway } from '../../src/graph/graphGateway';

const BASE = 'https://127.0.0.1:9443';
const WANTED = '7999249e-249e-7999-9e24-99799e249979';
const target: Target = { operation: 'cancelAccessPackageRequest', ids: { requestId: WANTED } };

/** A delegated token holding only the self-service permission: decoded by the bot, never verified. */
function token(): () => Promise<string> {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = `${part({ alg: 'none', typ: 'JWT' })}.${part({ scp: 'EntitlementMgmt-SubjectAccess.ReadWrite', oid: 'u1' })}.x`;
  return () => Promise.resolve(jwt);
}

/** A fake Graph whose filterByCurrentUser(on='target') holds `pages` pages of other requests
 * (two a page), and which refuses the cancel with a plain 403. */
function fakeGraph(pages: number, { linkElsewhereAfter }: { linkElsewhereAfter?: number } = {}) {
  const reads: string[] = [];
  const gateway = new GraphGateway({
    graphEndpoint: BASE,
    sleep: () => Promise.resolve(),
    fetch: (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const json = (status: number, body: unknown) =>
        Promise.resolve(
          new Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json', 'request-id': 'r-1' },
          }),
        );
      if ((init?.method ?? 'GET').toUpperCase() === 'POST')
        return json(403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } });
      reads.push(url);
      const page = Number(/skiptoken=p(\d+)/.exec(url)?.[1] ?? '0');
      const value = [0, 1].map((i) => ({
        id: `00000000-0000-4000-8000-${String(page * 2 + i).padStart(12, '0')}`,
        state: 'delivered',
      }));
      // A link past page `linkElsewhereAfter` names another root (never followed with the token).
      const root = page + 1 === linkElsewhereAfter ? 'https://elsewhere.example' : BASE;
      const base = `${root}/v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='target')`;
      return json(200, {
        value,
        ...(page + 1 < pages ? { '@odata.nextLink': `${base}?$skiptoken=p${page + 1}` } : {}),
      });
    },
  });
  return { gateway, reads };
}

describe('the self-service read that stops at its page limit', () => {
  it('21+ pages: says the search stopped, not "not among yours"; ownership unknown', async () => {
    const { gateway, reads } = fakeGraph(25);
    await assert.rejects(gateway.readState(target, token()), (e: unknown) => {
      assert.ok(e instanceof NotPermittedError);
      assert.doesNotMatch(e.message, /is not among yours/);
      assert.match(e.message, /did not find .* among the 40 of your requests on the first 20 pages/);
      assert.match(e.message, /Check the id, or use the Entra admin center/);
      return true;
    });
    assert.equal(reads.length, 20, 'at most 20 pages');
    assert.equal(await gateway.readOwn(target, token()), undefined, 'not known whether it is theirs');
  });

  it('a next link outside the Graph root after 2 pages: says where it stopped, not "the first 20 pages"', async () => {
    // The search stopped at a link it would not follow, not at its page limit: the words said it
    // had read "the first 20 pages".
    const { gateway, reads } = fakeGraph(25, { linkElsewhereAfter: 2 });
    await assert.rejects(gateway.readState(target, token()), (e: unknown) => {
      assert.ok(e instanceof NotPermittedError);
      assert.doesNotMatch(e.message, /is not among yours|20 pages/);
      assert.match(e.message, /among the 4 of your requests on the first 2 pages Microsoft Graph listed/);
      assert.match(e.message, /link to the next page points outside the Graph address the bot uses/);
      assert.match(e.message, /Check the id, or use the Entra admin center/);
      return true;
    });
    assert.equal(reads.length, 2, 'the link elsewhere is not followed');
    assert.ok(reads.every((u) => u.startsWith(BASE)));
    assert.equal(await gateway.readOwn(target, token()), undefined, 'not known whether it is theirs');
  });

  it('a list read to its end: "not among yours" stays', async () => {
    const { gateway } = fakeGraph(3);
    await assert.rejects(gateway.readState(target, token()), /is not among yours/);
    assert.equal(await gateway.readOwn(target, token()), null);
  });

  it('a refused cancel: the card does not call the request someone else’s after a search that stopped', async () => {
    const words = async (pages: number) => {
      const { gateway } = fakeGraph(pages);
      const service = new GovernanceService({
        cloud: 'global',
        graph: gateway,
        audit: () => undefined,
        newId: () => 'c1',
      });
      const outcome = await service.perform(target, { aadObjectId: 'u1', getToken: token() });
      assert.ok(!outcome.ok);
      return JSON.stringify(explain(outcome.error, CATALOG[target.operation], target));
    };
    assert.match(await words(3), /It is not your own request/, 'a complete search says so');
    assert.doesNotMatch(await words(25), /It is not your own request/);
  });
});
