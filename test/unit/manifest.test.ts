import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import {
  MANIFEST_DESCRIPTION_MAX,
  MANIFEST_TITLE_MAX,
  allManifestCommands,
  manifestCommandLists,
  manifestCommands,
} from '../../src/bot/commandDocs';
import { GRAMMAR } from '../../src/bot/commands';
import { ssoResourceUri } from '../../src/app';
import { projectRoot } from '../../src/paths';

const dir = path.join(projectRoot(), 'manifest');
const raw = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');

function filled(): Record<string, unknown> {
  const text = raw
    .replace(/\$\{\{TEAMS_APP_ID\}\}/g, '6b8f2f5e-1f0a-4c55-9f1c-3a2b4c5d6e7f')
    .replace(/\$\{\{BOT_ID\}\}/g, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d')
    .replace(/\$\{\{AAD_APP_CLIENT_ID\}\}/g, '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d')
    .replace(/\$\{\{BOT_DOMAIN\}\}/g, 'governance-bot.contoso.example')
    .replace(/\$\{\{APP_NAME_SUFFIX\}\}/g, '')
    .replace(/\$\{\{DEVELOPER_WEBSITE_URL\}\}/g, 'https://www.contoso.example')
    .replace(/\$\{\{PRIVACY_URL\}\}/g, 'https://www.contoso.example/privacy')
    .replace(/\$\{\{TERMS_OF_USE_URL\}\}/g, 'https://www.contoso.example/terms');
  assert.doesNotMatch(text, /\$\{\{/, 'every placeholder is known');
  return JSON.parse(text) as Record<string, unknown>;
}

function pngSize(file: string): [number, number] {
  const b = fs.readFileSync(path.join(dir, file));
  assert.equal(b.subarray(1, 4).toString('ascii'), 'PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('Teams app manifest', () => {
  it('validates offline against the bundled v1.23 schema', async () => {
    const realFetch = globalThis.fetch;
    globalThis.fetch = (() => Promise.reject(new Error('no network in tests'))) as typeof fetch;
    try {
      const errors = await AppManifestUtils.validateAgainstSchema(filled() as never);
      assert.deepEqual(errors, []);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  // webApplicationInfo names the Entra app that receives the SSO token (id) and its Application ID
  // URI (resource), which must equal the token-exchange URI on the OAuth card:
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-manifest
  // The sign-in pages live on the bot's domain, which validDomains lists:
  // https://learn.microsoft.com/en-us/microsoftteams/platform/resources/schema/manifest-schema#validdomains
  it('is a bot for personal, team and group chat with SSO wired to the SSO app at api://botid-{BOT_ID}', () => {
    const m = filled() as {
      manifestVersion: string;
      bots: Array<{ scopes: string[]; commandLists: Array<{ commands: Array<{ title: string }> }> }>;
      webApplicationInfo: { id: string; resource: string };
      validDomains: string[];
    };
    assert.equal(m.manifestVersion, '1.23');
    assert.deepEqual(m.bots[0]!.scopes, ['personal', 'team', 'groupChat']);
    assert.equal(m.webApplicationInfo.id, '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d', 'the SSO app, AAD_APP_CLIENT_ID');
    assert.equal(m.webApplicationInfo.resource, 'api://botid-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    assert.equal(
      m.webApplicationInfo.resource,
      ssoResourceUri('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'),
      'the card says the same',
    );
    assert.deepEqual(m.validDomains, ['governance-bot.contoso.example'], 'the bot domain, where the sign-in pages are');
    const titles = m.bots[0]!.commandLists.flatMap((l) => l.commands.map((c) => c.title));
    // More commands exist than the 10 a list may hold: each one offered is a real command, and the
    // lists that carry buttons for every item come first.
    const known = allManifestCommands().map((c) => c.title);
    for (const title of titles) assert.ok(known.includes(title), title);
    assert.ok(GRAMMAR.some((rule) => titles.includes(rule.words.join(' '))));
    assert.ok(titles.includes('help') && titles.includes('sign out'));
    assert.ok(titles.includes('my approvals') && titles.includes('my requests'));
  });

  // Teams app manifest schema v1.23: bots[].commandLists[].commands has at most 10 items, a title
  // of at most 32 and a description of at most 128 characters.
  // https://learn.microsoft.com/en-us/microsoftteams/platform/resources/schema/manifest-schema#botscommandlists
  it('lists exactly the commands generated from the catalog (node scripts/generate.js)', () => {
    const m = filled() as { bots: Array<{ commandLists: Array<{ commands: unknown[] }> }> };
    const expected = manifestCommandLists();
    assert.deepEqual(m.bots[0]!.commandLists, expected, 'regenerate: npm run build && node scripts/generate.js');
    assert.ok(expected.length <= 3);
    assert.deepEqual(expected.find((l) => l.scopes.includes('personal'))?.commands, manifestCommands());
    for (const c of allManifestCommands()) {
      assert.ok(c.title.length <= MANIFEST_TITLE_MAX, c.title);
      assert.ok(c.description.length <= MANIFEST_DESCRIPTION_MAX, c.description);
    }
    for (const list of expected) {
      assert.ok(list.commands.length <= 10, list.scopes.join());
      for (const c of list.commands) {
        assert.ok(c.title.length <= MANIFEST_TITLE_MAX, c.title);
        assert.ok(c.description.length <= MANIFEST_DESCRIPTION_MAX, c.description);
      }
    }
  });

  // "A separate command list should be used for each scope" (schema v1.23, bots[].commandLists;
  // learn.microsoft.com: "you must define a separate command list for each scope that your bot
  // supports"). In a team the bot is @mentioned in a channel, where `alerts` is the one command
  // that only works there: the help card lists it so a channel's members learn of it, and the
  // channel's menu offers it.
  // https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/root-bots-command-lists
  it('has one command list per scope, and the team’s offers alerts', () => {
    const m = filled() as {
      bots: Array<{ scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }>;
    };
    const bot = m.bots[0]!;
    for (const scope of bot.scopes) {
      const lists = bot.commandLists.filter((l) => l.scopes.includes(scope));
      assert.equal(lists.length, 1, `${scope}: one command list`);
      assert.deepEqual(lists[0]!.scopes, [scope], `${scope}: a list of its own`);
    }
    const team = bot.commandLists.find((l) => l.scopes.includes('team'))!;
    assert.ok(
      team.commands.some((c) => c.title === 'alerts'),
      'the team menu offers alerts',
    );
    for (const list of bot.commandLists.filter((l) => !l.scopes.includes('team'))) {
      assert.ok(
        !list.commands.some((c) => c.title === 'alerts'),
        `${list.scopes.join()}: alerts works in a channel only`,
      );
    }
  });

  it('has icons of the required pixel sizes', () => {
    assert.deepEqual(pngSize('color.png'), [192, 192]);
    assert.deepEqual(pngSize('outline.png'), [32, 32]);
  });
});
