// A resume left unanswered whose read finds the custom task finished the other way: the
// taskProcessingResult names nobody who resumed it
// (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskprocessingresult?view=graph-rest-1.0),
// and it may have ended with no person (the callout's timeout) or by the same person earlier in the
// chat. The card says it was finished another way and that Graph does not say who; it does not
// title it "Someone else decided first". A read that names the decider keeps that title.

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { DecidedElsewhereError } from '../../src/domain/errors';
import { CATALOG } from '../../src/domain/operations';

describe('finished another way, with nobody named', () => {
  it('a resume found failed: no "someone else" in the title or text', () => {
    const words = explain(new DecidedElsewhereError('x', 'failed', 'completed', null, null), CATALOG.resumeTask);
    const all = `${words.title} ${words.what} ${words.next}`;
    assert.doesNotMatch(all, /[Ss]omeone else/, all);
    assert.equal(words.title, 'Already finished another way');
    assert.match(words.what, /finished as failed, not as "completed"\. Your decision was not applied\./, all);
    assert.match(words.what, /Microsoft Graph does not say who\./, all);
  });

  it('a decider named by the read keeps "Someone else decided first"', () => {
    const words = explain(
      new DecidedElsewhereError('x', 'Denied', 'approve', 'Adele Vance', null),
      CATALOG.decideRoleApproval,
    );
    assert.equal(words.title, 'Someone else decided first');
  });
});
