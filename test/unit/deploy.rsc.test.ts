import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

// Channel alerts read a team's channel list and the asking member's roster entry. The bot asks
// Teams through the Bot Framework (GET /v3/teams/{id}/conversations, TeamsInfo.getMember), which a
// bot installed in the team may call with no permission in the app manifest:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/get-teams-context
// The same reads through Microsoft Graph would need Channel.ReadBasic.All or the resource-specific
// consent ChannelSettings.Read.Group (https://learn.microsoft.com/graph/api/channel-list), which
// the manifest does not ask for and the SSO app does not register. This keeps the two in step.

const root = projectRoot();

/** The text of every TypeScript file under src/ but the simulated tenant's. */
function productionSources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== path.join(root, 'src', 'sandbox')) walk(p);
      } else if (e.name.endsWith('.ts')) out.push({ file: path.relative(root, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.join(root, 'src'));
  return out;
}

describe('deploy: channel alerts need no resource-specific consent', () => {
  it('reads channels and the roster from Teams through the Bot Framework, never through Graph', () => {
    const sources = productionSources();
    const all = sources.map((s) => s.text).join('\n');
    assert.match(all, /\.teams\.fetchChannelList\(/, 'the channel list comes from the Bot Framework');
    assert.match(all, /TeamsInfo\.getMember\(/, 'the roster entry comes from the Bot Framework');
    // Any Graph path of a team, a chat or their lists (/teams/{id}/channels, /me/joinedTeams,
    // /groups/{id}/team, /chats, /users/{id}/chats), wherever in a string it stands: each needs a
    // permission (joinedTeams: Team.ReadBasic.All, https://learn.microsoft.com/graph/api/user-list-joinedteams).
    const graphTeams = sources.filter((s) =>
      /['`"][^'`"\n]*\/(?:teams|chats|joinedTeams|team)(?=[/?'`"$])/.test(s.text),
    );
    assert.deepEqual(
      graphTeams.map((s) => s.file),
      [],
      'a Graph read of teams or chats needs a permission: add it to the manifest (RSC) or the SSO app',
    );
  });

  it('asks no resource-specific permission in the Teams app manifest', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'manifest', 'manifest.json'), 'utf8')) as {
      authorization?: unknown;
    };
    assert.equal(manifest.authorization, undefined);
  });
});
