// The Microsoft 365 Agents Playground's side of the sandbox: its configuration file (the demo
// tenant's users, chats and alerts team) and whether it opens a browser.

import { SANDBOX_ALERTS_TEAM } from './alertsTeam';
import type { DemoSeed } from './seed';

/** The Playground's configuration schema allows at most five users besides the current one. */
const PLAYGROUND_MAX_OTHER_USERS = 5;
/** The bot's account in the Playground's conversations (the recipient of what it sends). */
export const PLAYGROUND_BOT_ID = '00000000-0000-0000-0000-00000000b071';

export function playgroundConfig(seed: DemoSeed): string {
  const [me, ...rest] = seed.users;
  if (!me) throw new Error('The demo tenant has no users.');
  // The Playground accepts at most five other users: the requester and the consent and MFA
  // users first, so the self-service and sign-in stories can be played.
  const first = [seed.selfService.requesterId, seed.selfService.consentUserId, seed.selfService.mfaUserId];
  const rank = (id: string) => (first.includes(id) ? first.indexOf(id) : first.length);
  const others = [...rest].sort((a, b) => rank(a.id) - rank(b.id)).slice(0, PLAYGROUND_MAX_OTHER_USERS);
  const user = (u: DemoSeed['users'][number], i: number) =>
    [
      `  id: user-id-${i}`,
      `  name: ${u.displayName}`,
      `  userPrincipleName: ${u.userPrincipalName}`,
      `  aadObjectId: ${u.id}`,
      `  givenName: ${u.displayName.split(' ')[0] ?? u.displayName}`,
      `  surname: ${u.displayName.split(' ').slice(1).join(' ') || u.displayName}`,
      `  email: ${u.userPrincipalName}`,
    ].join('\n');
  return [
    'version: "0.1.1"',
    `tenantId: ${seed.tenantId}`,
    'bot:',
    `  id: ${PLAYGROUND_BOT_ID}`,
    '  name: Governance Bot',
    'currentUser:',
    user(me, 0),
    'users:',
    ...others.map((u, i) =>
      user(u, i + 1)
        .replace(/^ {2}id:/, '  - id:')
        .replace(/\n {2}/g, '\n    '),
    ),
    'personalChat:',
    '  id: personal-chat-id',
    'groupChat:',
    '  id: group-chat-id',
    '  name: Identity team chat',
    'team:',
    '  id: team-id',
    '  name: Identity Operations',
    `  aadGroupId: ${SANDBOX_ALERTS_TEAM.aadGroupId}`,
    '  channels:',
    '    - id: channel-alerts-id',
    '      name: Governance alerts',
    '',
  ].join('\n');
}

/** The Playground's own TEAMSAPPTESTER_BROWSER: it opens the system's browser for any value but
 * "none", so the sandbox passes "none" unless one is set; blank counts as not set, as for every
 * variable the launcher reads (README "Configuration"). */
export function playgroundBrowser(env: NodeJS.ProcessEnv): string {
  const set = env.TEAMSAPPTESTER_BROWSER;
  return set !== undefined && set.trim() !== '' ? set : 'none';
}
