// What a refusal of an alert settings change may conclude from the Teams roster's `userRole`.
// Microsoft documents the roster's `userRole` as `user` for a regular user and `anonymous`
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context, "Get
// single member details") and `guest` for a guest
// (https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/build-and-test/app-developer-guidance-shared-private-channel,
// "Detecting User Type at Runtime"); it documents no value for a team's owner. So `user` does not
// say that the person is not an owner: the refusal must not tell an owner "you are a member, ask an
// owner to make you one", and must say how an owner gets the right (the admin group).

import assert from 'node:assert/strict';
import { mayChangeSubscriptions } from '../../src/alerts/authorization';

const GROUP = '7c8d3f0e-2b1a-4c5d-9e8f-0a1b2c3d4e5f';

function reason(p: ReturnType<typeof mayChangeSubscriptions>): string {
  assert.equal(p.allowed, false);
  return p.allowed ? '' : p.reason;
}

describe('alert settings refusal: what the roster role can tell', () => {
  it('"user" is not read as "not an owner": no "you are a member", and an owner is told how to get the right', () => {
    const noGroup = reason(mayChangeSubscriptions({ userRole: 'user' }, { adminGroupIds: [] }));
    assert.doesNotMatch(noGroup, /You are a member/);
    assert.doesNotMatch(noGroup, /make you an owner/);
    assert.match(noGroup, /Teams did not report you as an owner of this team/);
    assert.match(noGroup, /Teams may not tell bots who owns a team/);
    assert.match(noGroup, /choose an Entra group for alert settings and add you to it/);

    const withGroup = reason(mayChangeSubscriptions({ userRole: 'user', aadGroups: [] }, { adminGroupIds: [GROUP] }));
    assert.doesNotMatch(withGroup, /You are a member/);
    assert.match(withGroup, /Teams did not report you as an owner of this team/);
    assert.match(withGroup, /ask your administrator to add you to that group/);
    assert.match(withGroup, /Ask a team owner or a member of that group to change them/);
  });

  it('a documented "guest" is said as such; a role word is never made up ("a anonymous")', () => {
    const guest = reason(mayChangeSubscriptions({ userRole: 'guest' }, { adminGroupIds: [] }));
    assert.match(guest, /Teams lists you as a guest of this team/);
    assert.doesNotMatch(guest, /If you own this team/);
    const anonymous = reason(mayChangeSubscriptions({ userRole: 'anonymous' }, { adminGroupIds: [] }));
    assert.doesNotMatch(anonymous, /a anonymous/);
    assert.match(anonymous, /Teams did not report you as an owner of this team/);
  });

  it('an "owner" Teams does report is still allowed, in any case', () => {
    assert.equal(mayChangeSubscriptions({ userRole: 'Owner' }, { adminGroupIds: [] }).allowed, true);
  });
});
