import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

// The Agents Toolkit resolves each ${{VAR}} of m365agents.yml, and of the files its actions read,
// from env/.env.<environment>, and each action writes what it creates back there for the actions
// after it (writeToEnvironmentFile; arm/deploy writes the template's outputs):
// https://learn.microsoft.com/microsoftteams/platform/toolkit/provision and
// https://learn.microsoft.com/microsoftteams/platform/toolkit/teamsfx-multi-env
// A variable no one defines, or one defined only by a later action, fails provision on a real
// tenant halfway through, after some resources exist.

const root = projectRoot();
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');
// Comments are not YAML values: the Toolkit resolves placeholders only in what it parses.
const agentsYml = read('m365agents.yml').replace(/^\s*#.*\n/gm, '');

const placeholders = (text: string): string[] => [...text.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1]!);

/** The actions of one lifecycle (provision, deploy, publish), in order, as their YAML text. */
function actions(lifecycle: string): string[] {
  const start = agentsYml.indexOf(`\n${lifecycle}:\n`);
  assert.ok(start >= 0, `m365agents.yml has ${lifecycle}`);
  const end = agentsYml.slice(start + 1).search(/\n\w+:/);
  const body = agentsYml.slice(start, end < 0 ? undefined : start + 1 + end);
  return body.split(/\n {2}- uses: /).slice(1);
}

/** The variables one action reads: in its own text and in the files it names. */
function reads(action: string): string[] {
  const files = [...action.matchAll(/(?:manifestPath|parameters):\s*([\w./-]+)/g)].map((m) => m[1]!);
  return [...placeholders(action), ...files.flatMap((file) => placeholders(read(file)))];
}

/** The variables one action writes back to the environment file. */
function writes(action: string): string[] {
  const written = /writeToEnvironmentFile:\n((?:\s{6}\w+: \w+\n?)+)/.exec(action);
  const names = written ? [...written[1]!.matchAll(/:\s*(\w+)/g)].map((m) => m[1]!) : [];
  if (action.startsWith('arm/deploy')) {
    for (const [, template] of action.matchAll(/- path:\s*([\w./-]+)/g)) {
      names.push(...[...read(template!).matchAll(/^output (\w+) /gm)].map((m) => m[1]!));
    }
  }
  return names;
}

/** env/.env.dev's values as the Toolkit reads them (trimmed, one pair of quotes removed). */
function environmentValues(): Map<string, string> {
  const values = new Map<string, string>();
  for (const [, name, raw] of read('env/.env.dev').matchAll(/^(\w+)=(.*)$/gm)) {
    values.set(name!, raw!.trim().replace(/^(['"`])([\s\S]*)\1$/, '$2'));
  }
  return values;
}

/** Every variable env/.env.dev defines (set or left empty for provision or the user to fill). */
function environmentFile(): Set<string> {
  return new Set([...read('env/.env.dev').matchAll(/^(\w+)=/gm)].map((m) => m[1]!));
}

describe('deploy: the variables of m365agents.yml', () => {
  it('defines every variable an action reads before that action runs', () => {
    const known = environmentFile();
    const missing: string[] = [];
    for (const action of actions('provision')) {
      for (const name of reads(action)) if (!known.has(name)) missing.push(`${action.split('\n')[0]} reads ${name}`);
      for (const name of writes(action)) known.add(name);
    }
    // deploy and publish run after provision, with everything it wrote.
    for (const lifecycle of ['deploy', 'publish']) {
      for (const action of actions(lifecycle)) {
        for (const name of reads(action)) if (!known.has(name)) missing.push(`${lifecycle}: ${name}`);
      }
    }
    assert.deepEqual(missing, [], 'define these in env/.env.dev, or write them in an earlier action');
  });

  // The Toolkit replaces a placeholder only with a non-empty value: a variable set to the empty
  // string is left unresolved, and the action fails ("Unresolved placeholders", or for arm/deploy's
  // parameters file "The following environment variables are not defined"). The Toolkit's own
  // code: packages/fx-core/src/component/configManager/lifecycle.ts (resolveString: `if
  // (!envVal) unresolved.push(envVar)`), packages/fx-core/src/component/utils/common.ts
  // (expandEnvironmentVariable: `if (envValue)`) and driver/arm/deployImpl.ts
  // (checkPlaceholderInTemplate) in https://github.com/OfficeDev/teams-toolkit. Before the actions
  // run, provision asks for the subscription and the resource group when they are empty and makes
  // up RESOURCE_SUFFIX (component/coordinator/index.ts); the three links are the user's to set
  // first (env/.env.dev and README, "Deploy to Azure", say so).
  it('gives every placeholder provision resolves a non-empty value: the Toolkit takes an empty one for unset', () => {
    const values = environmentValues();
    for (const name of ['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'RESOURCE_SUFFIX']) {
      if (!values.get(name)) values.set(name, 'filled in by provision');
    }
    for (const name of ['DEVELOPER_WEBSITE_URL', 'PRIVACY_URL', 'TERMS_OF_USE_URL'])
      values.set(name, 'https://set.by.you');
    const unresolved: string[] = [];
    for (const action of actions('provision')) {
      for (const name of new Set(reads(action))) {
        if (!values.get(name))
          unresolved.push(`${action.split('\n')[0]} reads ${name} (${JSON.stringify(values.get(name))})`);
      }
      for (const name of writes(action)) values.set(name, 'written by the action');
    }
    for (const lifecycle of ['deploy', 'publish']) {
      for (const action of actions(lifecycle)) {
        for (const name of new Set(reads(action))) if (!values.get(name)) unresolved.push(`${lifecycle}: ${name}`);
      }
    }
    assert.deepEqual(unresolved, [], 'give these a value in env/.env.dev that is not empty');
  });

  it('finds the actions and what they write (the parsing above sees the file)', () => {
    const provision = actions('provision');
    assert.ok(provision.length >= 5);
    const written = provision.flatMap(writes);
    for (const name of ['TEAMS_APP_ID', 'AAD_APP_CLIENT_ID', 'SECRET_AAD_APP_CLIENT_SECRET', 'BOT_ID', 'BOT_DOMAIN'])
      assert.ok(written.includes(name), name);
    const aadUpdate = provision.find((a) => a.startsWith('aadApp/update'))!;
    assert.ok(reads(aadUpdate).includes('BOT_ID'), 'the files an action names are read');
  });
});
