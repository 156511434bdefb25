// An identity set names one of its members: `user`, `application` or `device`
// (https://learn.microsoft.com/en-us/graph/api/resources/identityset?view=graph-rest-1.0). A user
// acting through an application comes with both, the user's "displayName" often null (Microsoft's
// createdBy examples, https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0).
// The name shown and the id compared are the same member's: never the application's name beside
// the user's id ("Already denied by Graph Explorer" said of the presser's own decision).

import { strict as assert } from 'node:assert';
import { personAt, personIdAt } from '../../src/domain/itemFields';
import { graphStateOutcome } from '../../src/domain/clickOutcomes';
import type { Target } from '../../src/domain/operations';

const ME = '0b6a6b2a-9b3e-4a2e-8f3e-2f1c8a9d7e61';
const APP = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const DEVICE = '3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d';
const throughApp = {
  user: { id: ME, displayName: null },
  application: { id: APP, displayName: 'Graph Explorer' },
  device: null,
};

describe('an identity set: the name and the id are one member’s', () => {
  it('a user acting through an application: the user’s id, never the application’s name', () => {
    assert.equal(personIdAt({ by: throughApp }, 'by'), ME);
    assert.equal(personAt({ by: throughApp }, 'by'), null);
    const named = { ...throughApp, user: { id: ME, displayName: 'Adele Vance' } };
    assert.equal(personAt({ by: named }, 'by'), 'Adele Vance');
  });

  it('an application or a device alone: its name and its id', () => {
    const app = { user: null, application: { id: APP, displayName: 'Contoso Automation' }, device: null };
    assert.equal(personAt({ by: app }, 'by'), 'Contoso Automation');
    assert.equal(personIdAt({ by: app }, 'by'), APP);
    const device = { user: null, application: null, device: { id: DEVICE, displayName: 'Kiosk-01' } };
    assert.equal(personAt({ by: device }, 'by'), 'Kiosk-01');
    assert.equal(personIdAt({ by: device }, 'by'), DEVICE);
  });

  it('a press: the presser’s own other decision is not told as the application’s', () => {
    const target: Target = {
      operation: 'decideAccessPackageApproval',
      decision: 'approve',
      ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' },
    };
    const item = { state: 'Denied', decidedBy: throughApp, decidedAt: '2026-07-01T09:05:00Z' };
    const outcome = graphStateOutcome(target, 'Denied', item, ME);
    assert.equal(outcome.kind, 'settled');
    assert.ok('text' in outcome);
    assert.doesNotMatch(outcome.text, /Graph Explorer/);
  });
});
