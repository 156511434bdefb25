// Alert categories (stable ids, parsing, the event-kind and operation mappings) and who may change
// a channel's subscriptions: team owners by the Teams roster's userRole
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context), or
// members of the configured Entra group.

import { strict as assert } from 'node:assert';
import { mayChangeSubscriptions } from '../../src/alerts/authorization';
import {
  CATEGORIES,
  CATEGORY_IDS,
  categoryOfEventKind,
  categoryOfOperation,
  isCategoryId,
  parseCategory,
} from '../../src/alerts/categories';
import { OPERATION_NAMES } from '../../src/domain/operations';
import { EVENT_KINDS } from '../../src/notifications/events';

const GROUP = '6f1d9a52-3b7e-4c1a-9d2e-0a5b8c7e4f31';

describe('alerts: categories', () => {
  it('has the seven stable ids, each with a name and a description', () => {
    assert.deepEqual(
      [...CATEGORY_IDS],
      [
        'roleRequests',
        'groupRequests',
        'accessPackageRequests',
        'workflowRuns',
        'taskCallouts',
        'approvals',
        'actions',
      ],
    );
    for (const id of CATEGORY_IDS) {
      assert.equal(CATEGORIES[id].id, id);
      assert.ok(CATEGORIES[id].name && CATEGORIES[id].description);
    }
    assert.ok(isCategoryId('actions'));
    assert.ok(!isCategoryId('digest'));
  });

  it('reads a category by id, name or alias, case-insensitively, and nothing else', () => {
    assert.equal(parseCategory('roleRequests'), 'roleRequests');
    assert.equal(parseCategory('  Role-Requests '), 'roleRequests');
    assert.equal(parseCategory('PIM group requests'), 'groupRequests');
    assert.equal(parseCategory('access-requests'), 'accessPackageRequests');
    assert.equal(parseCategory('actions'), 'actions');
    assert.equal(parseCategory('everything'), null);
    assert.equal(parseCategory(''), null);
    // No alias is shared by two categories.
    const words = Object.values(CATEGORIES).flatMap((c) => [c.id.toLowerCase(), c.name.toLowerCase(), ...c.aliases]);
    assert.equal(new Set(words).size, words.length);
  });

  it('maps every notification event kind and every operation to a category', () => {
    for (const kind of EVENT_KINDS) assert.ok(categoryOfEventKind(kind), kind);
    assert.equal(categoryOfEventKind('roleRequest'), 'roleRequests');
    assert.equal(categoryOfEventKind('taskCallout'), 'taskCallouts');
    assert.equal(categoryOfEventKind('accessApproval'), 'approvals');
    assert.equal(categoryOfEventKind('toString'), null);
    assert.equal(categoryOfEventKind('nonsense'), null);
    for (const op of OPERATION_NAMES) assert.ok(isCategoryId(categoryOfOperation(op)), op);
    assert.equal(categoryOfOperation('cancelAccessPackageRequest'), 'accessPackageRequests');
    assert.equal(categoryOfOperation('resumeTask'), 'taskCallouts');
  });
});

describe('alerts: who may change subscriptions', () => {
  it('allows team owners', () => {
    assert.deepEqual(mayChangeSubscriptions({ userRole: 'owner', groupOwner: null }, { adminGroupIds: [] }), {
      allowed: true,
      via: 'teamOwner',
    });
  });

  it('allows members of the configured Entra group, compared case-insensitively', () => {
    assert.deepEqual(
      mayChangeSubscriptions(
        { userRole: 'user', aadGroups: [GROUP.toUpperCase()], groupOwner: false },
        { adminGroupIds: [GROUP] },
      ),
      { allowed: true, via: 'adminGroup' },
    );
  });

  it('refuses everyone else with an explanation', () => {
    const member = mayChangeSubscriptions(
      { userRole: 'user', aadGroups: ['other'], groupOwner: false },
      { adminGroupIds: [GROUP] },
    );
    assert.equal(member.allowed, false);
    assert.match(!member.allowed ? member.reason : '', /Only the team's owners and members of the Entra group/);
    assert.match(
      !member.allowed ? member.reason : '',
      /You are not among the owners of this team's Microsoft 365 group/,
    );
    const guest = mayChangeSubscriptions({ userRole: 'guest', groupOwner: false }, { adminGroupIds: [] });
    assert.match(!guest.allowed ? guest.reason : '', /^Only the team's owners can change/);
    assert.equal(mayChangeSubscriptions({ groupOwner: false }, { adminGroupIds: [] }).allowed, false);
    // No group configured: group membership grants nothing.
    assert.equal(
      mayChangeSubscriptions({ aadGroups: [GROUP], groupOwner: false }, { adminGroupIds: [] }).allowed,
      false,
    );
  });

  it('a group check that could not be made is still a refusal, said as such, never as "not a member"', () => {
    const unknown = mayChangeSubscriptions(
      { userRole: 'user', groupsUnknown: true, groupOwner: false },
      { adminGroupIds: [GROUP] },
    );
    assert.equal(unknown.allowed, false);
    assert.match(!unknown.allowed ? unknown.reason : '', /could not check your membership/);
    assert.match(!unknown.allowed ? unknown.reason : '', /Nothing was changed; try again/);
  });
});
