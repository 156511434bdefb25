// The not-found card names the ids the command took: "this id" for a command of one id (a request
// id), "these ids" for one of several (a workflow and its run or task result), so the words match
// what the person typed (contract §3: `cancel role-request <requestId>`, `cancel run <workflowId> <runId>`).

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { NotFoundError } from '../../src/domain/errors';
import { CATALOG, OPERATION_NAMES } from '../../src/domain/operations';

describe('not-found words name one id or several', () => {
  for (const name of OPERATION_NAMES) {
    const spec = CATALOG[name];
    it(`${name} (${spec.idNames.length} id${spec.idNames.length > 1 ? 's' : ''})`, () => {
      const words = explain(new NotFoundError('gone'), spec);
      const all = `${words.what} ${words.next}`;
      if (spec.idNames.length === 1) {
        assert.match(words.what, new RegExp(`no ${spec.noun} with this id,`), all);
        assert.match(words.next, /^Check the id \(copy it from /, all);
        assert.doesNotMatch(all, /\bids\b|\bthem\b/, all);
      } else {
        assert.match(words.what, new RegExp(`no ${spec.noun} with these ids,`), all);
        assert.match(words.next, /^Check the ids \(copy them from /, all);
      }
    });
  }
});

// Every other card (the ids that do not go together, a deadline's "check … in the Entra admin
// center", the extension and renewal approvals) names the place as the Entra admin center; "the
// Entra portal" named it otherwise on this one card only.
describe('not-found words name the Entra admin center as the other cards do', () => {
  for (const name of OPERATION_NAMES) {
    it(name, () => {
      const words = explain(new NotFoundError('gone'), CATALOG[name]);
      assert.match(words.next, /from the notification or the Entra admin center\)/, words.next);
      assert.doesNotMatch(`${words.what} ${words.next}`, /portal/i);
    });
  }
});
