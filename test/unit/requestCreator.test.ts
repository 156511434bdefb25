// Who created a PIM request, read from its createdBy, an identitySet: a user's id under `user`, or,
// for a request an application made with its own rights, an `application` and no user
// (https://learn.microsoft.com/en-us/graph/api/resources/identityset?view=graph-rest-1.0). A
// principal cancels without an administrator role only "a role assignment request they created"
// (https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0),
// so a request an application created is someone else's too: its "my requests" row has no Cancel
// and its refused cancel says someone else created it, by one rule.

import { strict as assert } from 'node:assert';
import { createdByAnother, creatorOf } from '../../src/domain/requestCreator';
import { createdByOther } from '../../src/domain/myWork';
import type { WorkItem } from '../../src/domain/myWork';

const USER = 'A1B2C3D4-1111-4AAA-8BBB-000000000006';
const ADMIN = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const APP = '0d6a1b3c-2222-4bbb-9ccc-00000000ab01';

describe('request creator: who created a PIM request, and whether it is someone other than the user', () => {
  it('reads the user, else the application, of createdBy', () => {
    assert.equal(creatorOf({ user: { id: ADMIN }, application: null }), `user:${ADMIN}`);
    assert.equal(
      creatorOf({ user: null, application: { id: APP, displayName: 'Provisioning' } }),
      `application:${APP}`,
    );
    assert.equal(creatorOf({ user: { id: '' }, application: null }), null);
    assert.equal(creatorOf(null), null);
    assert.equal(creatorOf('nobody'), null);
  });

  it('an application, another user, or a bare id of another (lists kept before) is someone else; the user in any case is not', () => {
    assert.equal(createdByAnother(`application:${APP}`, USER), true);
    assert.equal(createdByAnother(`user:${ADMIN}`, USER), true);
    assert.equal(createdByAnother(ADMIN, USER), true);
    assert.equal(createdByAnother(`user:${USER.toLowerCase()}`, USER), false);
    assert.equal(createdByAnother(USER.toLowerCase(), USER), false);
    assert.equal(createdByAnother(null, USER), false);
    assert.equal(createdByAnother(undefined, USER), false);
  });

  it('a "my requests" PIM row an application created loses Cancel', () => {
    const row: WorkItem = {
      kind: 'role',
      requestId: '95c690fb-3eb3-4942-a03f-4524aed6f301',
      requester: null,
      what: 'Request',
      justification: null,
      duration: null,
      createdAt: '2026-11-29T10:00:00Z',
      expiresAt: null,
      createdById: creatorOf({ user: null, application: { id: APP } }),
    };
    assert.equal(createdByOther('requests', row, USER), true);
    assert.equal(createdByOther('requests', { ...row, createdById: creatorOf({ user: { id: USER } }) }, USER), false);
  });
});
