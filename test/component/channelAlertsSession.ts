// The channel-alerts rig (alertsRig.ts) in a fresh state directory for each test, closed and removed
// after it (registers the mocha hooks), with the users and steps the channel tests share: the team
// owner and a member, the audit lines of one event, signing in, and the bot added to the team.

import * as fs from 'node:fs';
import { AlertsRig } from './alertsRig';
import { Rig, User } from './botRig';

export interface ChannelAlertsSession {
  /** This test's rig; read it in tests or hooks, after the session's beforeEach. */
  readonly a: AlertsRig;
  /** The team owner (the first seed user). */
  owner(): User;
  /** A plain member of the team (the second seed user). */
  member(): User;
  auditLines(event: string): Array<Record<string, unknown>>;
  /** Signs in (a warm-up click, itself an attempt the feed announces) and forgets those posts. */
  signedIn(user: User): Promise<void>;
  /** The owner adds the bot to the team. */
  install(): Promise<void>;
}

/** `options`: the rig's (a clock the test moves, say), for every test of the session. */
export function channelAlertsSession(options: ConstructorParameters<typeof AlertsRig>[1] = {}): ChannelAlertsSession {
  let current: { dir: string; a: AlertsRig } | undefined;

  const started = () => {
    if (!current) throw new Error('the channel alerts session is used before its beforeEach hook ran');
    return current;
  };

  beforeEach(() => {
    const dir = Rig.dir();
    current = { dir, a: new AlertsRig(dir, options) };
  });
  afterEach(async () => {
    const { dir, a } = started();
    current = undefined;
    await a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const owner = () => started().a.rig.user(0);

  return {
    get a() {
      return started().a;
    },
    owner,
    member: () => started().a.rig.user(1),
    auditLines: (event) => started().a.rig.logs.filter((l) => l.event === event),
    async signedIn(user) {
      const { a } = started();
      await a.rig.signIn(user);
      await a.drain();
      a.posts.length = 0;
    },
    async install() {
      const { a } = started();
      a.roles.set(owner().id, 'owner');
      // The team's owner owns its Microsoft 365 group, as Graph tells it.
      a.groupOwners.add(owner().aadObjectId);
      await a.teamEvent(owner(), 'added');
    },
  };
}
