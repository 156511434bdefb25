import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { FORCED_EXIT_MS } from '../../src/shutdown';

const root = projectRoot();
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

/** The value of one app setting of the web app's sites/config 'appsettings' resource. */
function appSetting(bicep: string, name: string): string | undefined {
  const block = /name: 'appsettings'\s*properties: \{([\s\S]*?)\n {2}\}/.exec(bicep);
  assert.ok(block, "infra/azure.bicep has a sites/config 'appsettings' resource");
  const line = new RegExp(`^\\s*${name}: '([^']*)'$`, 'm').exec(block[1]!);
  return line?.[1];
}

describe('deploy: the App Service stop window (infra/azure.bicep)', () => {
  // App Service waits WEBSITES_CONTAINER_STOP_TIME_LIMIT seconds after SIGTERM before it kills the
  // container: "Default is 5. You can increase to a maximum of 120."
  // https://learn.microsoft.com/azure/app-service/reference-app-settings#custom-containers
  // The bot's own shutdown (src/shutdown.ts) takes up to FORCED_EXIT_MS: with the default 5 s the
  // platform would kill it halfway through finishing the turns and sends under way.
  it('gives the graceful shutdown more time than it takes, within the platform maximum', () => {
    const value = appSetting(read('infra/azure.bicep'), 'WEBSITES_CONTAINER_STOP_TIME_LIMIT');
    assert.ok(value !== undefined, 'WEBSITES_CONTAINER_STOP_TIME_LIMIT is not set: App Service allows 5 s');
    assert.match(value, /^\d+$/, 'a whole number of seconds');
    const seconds = Number(value);
    assert.ok(seconds * 1000 > FORCED_EXIT_MS, `${seconds} s is shorter than the bot's ${FORCED_EXIT_MS} ms shutdown`);
    assert.ok(seconds <= 120, 'App Service accepts at most 120 s');
  });

  it('lists the setting among the platform settings of the README', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Deploy to Azure'));
    assert.ok(section.includes('`WEBSITES_CONTAINER_STOP_TIME_LIMIT`'));
  });
});
