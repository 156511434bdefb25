// The team's Microsoft 365 group id costs a Teams call (the team's details, `aadGroupId`:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/get-teams-context#get-teams-details)
// when the activity does not carry it as `channelData.team.aadGroupId`
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events).
// It is needed only when the roster does not say `owner`: a roster `owner` is allowed at once,
// with no call for the group id. A roster slow to answer does not hold that call back for long.

import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import { PermissionDeps, alertPermission } from '../../src/bot/alertPermission';
import { recordingLogger } from '../fixtures/recordingLogger';

const TEAM = '19:team@thread.tacv2';
const GROUP = '5e1f0c2a-7b3d-4e6f-8a9b-0c1d2e3f4a5b';
const WHERE = { teamId: TEAM, channelId: '19:ops@thread.tacv2' };

function turn(team: Record<string, unknown>): TurnContext {
  return {
    activity: {
      type: 'invoke',
      channelId: 'msteams',
      from: { id: '29:someone', aadObjectId: '00000000-0000-0000-0000-0000000000aa' },
      conversation: { id: '19:ops@thread.tacv2', conversationType: 'channel' },
      channelData: { team, channel: { id: '19:ops@thread.tacv2' } },
    },
  } as unknown as TurnContext;
}

/** Permission deps whose roster answers `role` after `rosterMs`; the times the group id was asked,
 * each as ms since the start. */
function deps(role: string, rosterMs = 0) {
  const started = Date.now();
  const groupAsked: number[] = [];
  const d: PermissionDeps = {
    member: () => new Promise((r) => setTimeout(() => r({ userRole: role }), rosterMs)),
    authority: { adminGroupIds: [] },
    memberGroups: async () => null,
    teamGroup: async () => {
      groupAsked.push(Date.now() - started);
      return GROUP;
    },
    ownsGroup: async () => true,
    logger: recordingLogger().logger,
    tenantId: '00000000-0000-0000-0000-0000000000bb',
  };
  return { d, groupAsked };
}

/**
 * Runs `work`, noting the timers it sets; once it has ended, fires at once every one it left
 * pending, as if all the time in the world had passed. So whatever it left to happen later has
 * happened when this resolves: the moment to assert that something never will.
 */
async function leavingNothingFor<T>(work: () => Promise<T>): Promise<T> {
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  const pending = new Map<unknown, () => void>();
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = set(() => {
      pending.delete(timer);
      fn(...args);
    }, ms);
    pending.set(timer, () => fn(...args));
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer?: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(timer);
    clear(timer);
  }) as typeof clearTimeout;
  try {
    return await work();
  } finally {
    globalThis.setTimeout = set;
    globalThis.clearTimeout = clear;
    for (const [timer, fire] of pending) {
      clear(timer as Parameters<typeof clearTimeout>[0]);
      fire();
    }
    // What the timers started runs on from their callbacks' promises: let it.
    await new Promise((r) => setImmediate(r));
  }
}

describe("channel alerts: the team's group id is asked only when needed", function () {
  this.timeout(10_000);

  it('the roster says owner and the activity carries no aadGroupId: allowed, Teams not asked for the group id', async () => {
    const { d, groupAsked } = deps('owner');
    const permission = await leavingNothingFor(() => alertPermission(turn({ id: TEAM }), WHERE, d));
    assert.deepEqual(permission, { allowed: true });
    // Not a pause: every timer it left has fired.
    assert.deepEqual(groupAsked, []);
  });

  it('the roster says user: the group id is asked and the ownership decides', async () => {
    const { d, groupAsked } = deps('user');
    assert.deepEqual(await alertPermission(turn({ id: TEAM }), WHERE, d), { allowed: true });
    assert.equal(groupAsked.length, 1);
  });

  it('a slow roster: the group id is asked beside it after the head start, not after its answer', async () => {
    const { d, groupAsked } = deps('user', 1_500);
    assert.deepEqual(await alertPermission(turn({ id: TEAM }), WHERE, d), { allowed: true });
    assert.equal(groupAsked.length, 1);
    assert.ok(groupAsked[0]! < 1_000, `asked at ${groupAsked[0]} ms`);
  });

  it('the activity carries the aadGroupId: taken at once, whatever the roster says', async () => {
    const { d, groupAsked } = deps('user', 500);
    await alertPermission(turn({ id: TEAM, aadGroupId: GROUP }), WHERE, d);
    assert.equal(groupAsked.length, 1);
    assert.ok(groupAsked[0]! < 100, `asked at ${groupAsked[0]} ms`);
  });
});
