// A direct notification to a channel the bot has not seen is looked up in the known teams' channel
// lists (README, "GET /api/notifications/{eventId}": "A `channelId` target may name any channel of a
// team the bot is in"); a channel found in none is not looked up again for 10 minutes, and its
// events are settled undeliverable ("Governance Bot is not installed in the team of this channel").
// That mark was written when a lookup began, so:
// - a delivery to the same channel asking while a lookup was still listing was told "no team has
//   it" and its event settled undeliverable for good, though the listing then found the channel
//   (the delivery worker runs up to 32 rows at once: a burst of events to a new channel);
// - a lookup cut short by the state store (reading the known teams) left the mark, and the row,
//   back after its lease, found the channel missing without a look, its event settled for good.
// And a store failure while writing a team's channels was counted as a list Teams failed to give,
// a failed pass that counts towards setting the event aside, where a store that cannot be reached
// never counts (README, the 20th lease). Teams counts channel listings against the bot's limits
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit): a lookup
// under way is shared, not repeated.

import { strict as assert } from 'node:assert';
import { ServerError } from '@azure/msal-node';
import { createLogger } from '../../src/log';
import { TeamChannel } from '../../src/alerts/subscriptions';
import { ChannelListsUnread, channelLookup } from '../../src/notifications/unseenChannels';
import { StateUnavailableError } from '../../src/state/port';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:new@thread.tacv2';
const teamReference = { serviceUrl: 'https://smba.test/', conversation: { id: TEAM, tenantId: 't' } };

interface Faults {
  knownTeams?: () => Promise<void>;
  setTeamChannels?: () => Promise<void>;
  list?: () => Promise<TeamChannel[]>;
}

/** A team the bot is in, whose channel list (from Teams) holds CHANNEL; the store of which team has
 * which channel is a set. */
function world(faults: Faults = {}) {
  const stored = new Set<string>();
  let listings = 0;
  const lookup = channelLookup({
    reach: {
      channelReference: async (id: string) => (stored.has(id) ? { ...teamReference, conversation: { id } } : null),
      knownTeams: async () => {
        await faults.knownTeams?.();
        return [TEAM];
      },
      teamReference: async () => teamReference,
    } as never,
    subscriptions: {
      setTeamChannels: async (_team: string, channels: readonly TeamChannel[]) => {
        await faults.setTeamChannels?.();
        for (const c of channels) stored.add(c.id);
      },
    } as never,
    listTeamChannels: async () => {
      listings++;
      return faults.list ? faults.list() : [{ id: CHANNEL, name: 'New' }];
    },
    servedTenant: null,
    logger: createLogger({ level: 'silent' }),
    now: Date.now,
  });
  return { lookup, listings: () => listings };
}

const once = (error: Error) => {
  let thrown = false;
  return async () => {
    if (thrown) return;
    thrown = true;
    throw error;
  };
};

describe('looking up a channel the bot has not seen', () => {
  it('gives a delivery that asks while a lookup is listing the same answer, from one listing', async () => {
    let listed!: () => void;
    const gate = new Promise<void>((r) => (listed = r));
    const { lookup, listings } = world({
      list: async () => {
        await gate;
        return [{ id: CHANNEL, name: 'New' }];
      },
    });
    const first = lookup(CHANNEL);
    const second = lookup(CHANNEL);
    await new Promise((r) => setTimeout(r, 10));
    listed();
    assert.ok(await first, 'the first delivery finds the channel');
    assert.ok(await second, 'so does the one that asked meanwhile');
    assert.equal(listings(), 1, "the team's channels were listed once");
  });

  it('looks again after a lookup the store cut short', async () => {
    const { lookup } = world({ knownTeams: once(new StateUnavailableError('state store: read failed')) });
    await assert.rejects(lookup(CHANNEL), StateUnavailableError);
    assert.ok(await lookup(CHANNEL), 'the next delivery lists the teams and finds the channel');
  });

  it("fails as the store's failure when the store cannot write a team's channels", async () => {
    const { lookup } = world({ setTeamChannels: once(new StateUnavailableError('state store: write failed')) });
    await assert.rejects(lookup(CHANNEL), StateUnavailableError);
    assert.ok(await lookup(CHANNEL));
  });

  it('still answers no team has it for 10 minutes once every list was read without the channel', async () => {
    const { lookup, listings } = world({ list: async () => [{ id: TEAM, name: 'General' }] });
    assert.equal(await lookup(CHANNEL), null);
    assert.equal(await lookup(CHANNEL), null);
    assert.equal(listings(), 1);
  });

  // A listing that failed on the bot's own credentials (Entra's invalid_client: an expired secret,
  // https://learn.microsoft.com/entra/identity-platform/reference-error-codes) read no list: the
  // channel may be in it. Taking it for missing settled the event "not installed in the team of
  // this channel" and skipped the channel's lookups for 10 minutes, where a direct send keeps its
  // recipient and names the deployment fault.
  it("looks again after a listing refused for the bot's own credentials", async () => {
    const refused = new ServerError(
      'invalid_client',
      'correlation',
      'AADSTS7000215: Invalid client secret.',
      '',
      undefined,
      401,
    );
    let failed = false;
    const { lookup, listings } = world({
      list: async () => {
        if (!failed) throw ((failed = true), refused);
        return [{ id: CHANNEL, name: 'New' }];
      },
    });
    await assert.rejects(lookup(CHANNEL), ChannelListsUnread);
    assert.ok(await lookup(CHANNEL), 'the next delivery lists the team again and finds the channel');
    assert.equal(listings(), 2);
  });
});
