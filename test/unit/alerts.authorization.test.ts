// What a refusal of an alert settings change may conclude from the Teams roster's `userRole`.
// Microsoft documents the roster's `userRole` as `user` for a regular user and `anonymous`
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context, "Get
// single member details") and `guest` for a guest
// (https://learn.microsoft.com/en-us/microsoftteams/platform/concepts/build-and-test/app-developer-guidance-shared-private-channel,
// "Detecting User Type at Runtime"); it documents no value for a team's owner. So `user` does not
// say that the person is not an owner: the refusal must not tell an owner "you are a member, ask an
// owner to make you one". Only the team group's owners (groupOwner, below) say who is not one.

import assert from 'node:assert/strict';
import { mayChangeSubscriptions } from '../../src/alerts/authorization';

const GROUP = '7c8d3f0e-2b1a-4c5d-9e8f-0a1b2c3d4e5f';

function reason(p: ReturnType<typeof mayChangeSubscriptions>): string {
  assert.equal(p.allowed, false);
  return p.allowed ? '' : p.reason;
}

describe('alert settings refusal: what the roster role can tell', () => {
  it('"user" is not read as "not an owner": no "you are a member"; the group\'s answer is what is said', () => {
    const noGroup = reason(mayChangeSubscriptions({ userRole: 'user', groupOwner: false }, { adminGroupIds: [] }));
    assert.doesNotMatch(noGroup, /You are a member/);
    assert.doesNotMatch(noGroup, /make you an owner/);
    assert.match(noGroup, /You are not among the owners of this team's Microsoft 365 group/);

    const withGroup = reason(
      mayChangeSubscriptions({ userRole: 'user', aadGroups: [], groupOwner: false }, { adminGroupIds: [GROUP] }),
    );
    assert.doesNotMatch(withGroup, /You are a member/);
    assert.match(withGroup, /You are not among the owners of this team's Microsoft 365 group/);
    assert.match(withGroup, /Ask a team owner or a member of that group to change them/);
  });

  it('a documented "guest" is said as such; a role word is never made up ("a anonymous")', () => {
    const guest = reason(mayChangeSubscriptions({ userRole: 'guest', groupOwner: false }, { adminGroupIds: [] }));
    assert.match(guest, /Teams lists you as a guest of this team/);
    const anonymous = reason(
      mayChangeSubscriptions({ userRole: 'anonymous', groupOwner: false }, { adminGroupIds: [] }),
    );
    assert.doesNotMatch(anonymous, /a anonymous/);
    assert.match(anonymous, /You are not among the owners of this team's Microsoft 365 group/);
  });

  it('an "owner" Teams does report is still allowed, in any case', () => {
    assert.equal(mayChangeSubscriptions({ userRole: 'Owner', groupOwner: null }, { adminGroupIds: [] }).allowed, true);
  });
});

// A team's owners are the owners of its Microsoft 365 group
// (https://learn.microsoft.com/en-us/graph/api/resources/team), read as the person with User.Read
// (https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects): `groupOwner` is that read's
// answer (true, false, or null when it could not be had).
describe("alert settings: the team group's owners decide", () => {
  const none = { adminGroupIds: [] };
  const admins = { adminGroupIds: [GROUP] };

  it('the group lists the person among its owners: allowed as a team owner, whatever the roster says', () => {
    assert.deepEqual(mayChangeSubscriptions({ userRole: 'user', groupOwner: true }, none), {
      allowed: true,
      via: 'teamOwner',
    });
    assert.equal(mayChangeSubscriptions({ rosterUnknown: true, groupOwner: true }, none).allowed, true);
    // The admin group's check may have failed meanwhile: ownership alone allows.
    assert.equal(
      mayChangeSubscriptions({ userRole: 'user', groupOwner: true, groupsUnknown: true }, admins).allowed,
      true,
    );
  });

  it('the group does not: a plain refusal naming who may, with no "try again"', () => {
    const text = reason(mayChangeSubscriptions({ userRole: 'user', groupOwner: false }, none));
    assert.match(text, /^Only the team's owners can change which alerts this channel receives\./);
    assert.match(text, /You are not among the owners of this team's Microsoft 365 group/);
    assert.match(text, /Ask a team owner to change them\.$/);
    assert.doesNotMatch(text, /try again/);
    // A roster read that failed does not matter once the group answered.
    assert.equal(reason(mayChangeSubscriptions({ rosterUnknown: true, groupOwner: false }, none)), text);
    // Not an owner, but in the admin group: allowed.
    assert.deepEqual(mayChangeSubscriptions({ userRole: 'user', groupOwner: false, aadGroups: [GROUP] }, admins), {
      allowed: true,
      via: 'adminGroup',
    });
  });

  it('the read could not be had: "could not check ... try again", never allowed, never "ask a team owner"', () => {
    const text = reason(mayChangeSubscriptions({ userRole: 'user', groupOwner: null }, none));
    assert.match(text, /I could not check whether you own this team just now/);
    assert.match(text, /Nothing was changed; try again in a minute\./);
    assert.doesNotMatch(text, /Ask a team owner/);
    const both = reason(mayChangeSubscriptions({ userRole: 'user', groupOwner: null, groupsUnknown: true }, admins));
    assert.match(both, /whether you own this team or belong to that group/);
    const ownerOnly = reason(
      mayChangeSubscriptions({ userRole: 'user', groupOwner: null, aadGroups: [], groupsUnknown: false }, admins),
    );
    assert.match(ownerOnly, /I could not check whether you own this team just now/);
    assert.doesNotMatch(ownerOnly, /belong to that group/);
  });

  it('a guest the group does not list is told so as a guest', () => {
    const text = reason(mayChangeSubscriptions({ userRole: 'guest', groupOwner: false }, none));
    assert.match(text, /Teams lists you as a guest of this team/);
  });
});
