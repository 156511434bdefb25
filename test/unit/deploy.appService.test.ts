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

describe('deploy: the App Service health check (infra/azure.bicep)', () => {
  // App Service pings the health check path on every instance each minute, takes an instance that
  // keeps failing out of the load balancer and replaces it after an hour; "The Health check path
  // should check critical components of your application. For example, if your application
  // depends on a database and a messaging system, the Health check endpoint should connect to
  // those components", and should return 200 "only when the app is fully warmed up"; on scale-out
  // it is what tells App Service a new instance is ready.
  // https://learn.microsoft.com/azure/app-service/monitor-instances-health-check
  // The template pointed it at /healthz, which answers 200 whenever the process serves HTTP: an
  // instance that could not reach its Storage account (records, the outbox) or Entra ID kept
  // receiving Teams traffic it could not serve, and a new one counted as ready before it was.
  // /readyz answers 503 in exactly those cases.
  it('pings /readyz, the page that checks the state store and Entra ID, not /healthz', () => {
    const bicep = read('infra/azure.bicep');
    const site = /'Microsoft\.Web\/sites@[^']+' = \{([\s\S]*?)\n\}/.exec(bicep);
    assert.ok(site, 'infra/azure.bicep declares the web app');
    assert.match(site[1]!, /^\s*healthCheckPath: '\/readyz'$/m);
    const server = read('src/server.ts');
    assert.match(
      server,
      /probe\('\/readyz'[\s\S]*?notReady\([\s\S]*?res\.send\(503/,
      'the bot serves it, 503 when not ready',
    );
    assert.match(server, /const probe = [^\n]*\n\s*server\.get\(path, handler\);/, 'probe() serves GET');
  });
});
