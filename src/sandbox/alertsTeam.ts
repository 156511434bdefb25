// The sandbox's ops team, as the Agents Playground shows it (the team and channel of the
// Playground configuration written by start.ts): the "Governance alerts" channel of the team
// "Identity Operations" hears every category from the start, so `demo` fills it and the actions
// taken in the personal chat show up there.

import { CATEGORY_IDS, CategoryId } from '../alerts/categories';

export interface SandboxAlertsTeam {
  readonly teamId: string;
  readonly teamName: string;
  /** The team's Microsoft 365 group (a seed group): its owners are the team's owners. */
  readonly aadGroupId: string;
  readonly channels: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** The channel subscribed to every category. */
  readonly alertsChannelId: string;
  readonly categories: readonly CategoryId[];
}

export const SANDBOX_ALERTS_TEAM: SandboxAlertsTeam = {
  // In Teams (and the Playground) the General channel's id is the team's id.
  teamId: 'team-id',
  teamName: 'Identity Operations',
  aadGroupId: '7d1f5a2e-3c4b-4e8f-9a0b-1c2d3e4f5a6b',
  channels: [
    { id: 'team-id', name: 'General' },
    { id: 'channel-alerts-id', name: 'Governance alerts' },
  ],
  alertsChannelId: 'channel-alerts-id',
  categories: CATEGORY_IDS,
};
