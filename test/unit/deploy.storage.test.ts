import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readConfig } from '../../src/config';
import { projectRoot } from '../../src/paths';
import { outboxQueueName } from '../../src/state/azure';

// The Storage account infra/azure.bicep creates for several instances: a blob container for the
// records and the outbox queue, both named from the parameter stateContainerName.

const bicep = fs.readFileSync(path.join(projectRoot(), 'infra', 'azure.bicep'), 'utf8');
const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
const deploySection = readme.slice(
  readme.indexOf('## Deploy to Azure'),
  readme.indexOf('\n## ', readme.indexOf('## Deploy to Azure') + 1),
);

/** The body of the first resource of `type` (up to the next resource). */
function resourceBody(type: string): string {
  const start = bicep.indexOf(`'${type}@`);
  assert.ok(start >= 0, `infra/azure.bicep declares ${type}`);
  const next = bicep.indexOf('\nresource ', start);
  return bicep.slice(start, next < 0 ? undefined : next);
}

/** The @minLength/@maxLength decorators right above `param <name> string`. */
function lengthBounds(name: string): { min?: number; max?: number } {
  const m = new RegExp(`((?:^@.*\\n)*)^param ${name} string`, 'm').exec(bicep);
  assert.ok(m, `infra/azure.bicep declares param ${name}`);
  const decorators = m[1]!;
  const min = /^@minLength\((\d+)\)$/m.exec(decorators)?.[1];
  const max = /^@maxLength\((\d+)\)$/m.exec(decorators)?.[1];
  return { min: min === undefined ? undefined : Number(min), max: max === undefined ? undefined : Number(max) };
}

/** A valid container name of `length` characters (letters and single hyphens, no hyphen at either end). */
function containerName(length: number): string {
  let s = 'g';
  while (s.length < length) s += s.length % 5 === 4 && s.length < length - 1 ? '-' : 'a';
  return s;
}

describe('deploy: the storage for several instances (infra/azure.bicep)', () => {
  // A queue name is 3-63 lowercase letters, digits and single hyphens
  // (https://learn.microsoft.com/rest/api/storageservices/naming-queues-and-metadata#queue-names);
  // a container name likewise (https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata#container-names).
  // The template names the queue '<container>-outbox', the bot (src/state/azure.ts) the
  // container's first 56 characters and '-outbox'. A container name of 57-63 characters, which the
  // bot accepts, made the template ask for a queue name over 63 characters, and the deployment failed.
  it('bounds the container name so that the template creates the very queue the bot uses', () => {
    assert.match(bicep, /^var outboxQueueName = '\$\{stateContainerName\}-outbox'$/m);
    const { min, max } = lengthBounds('stateContainerName');
    assert.ok(max !== undefined, 'stateContainerName has a @maxLength');
    assert.ok(min !== undefined && min >= 3, 'stateContainerName has a @minLength of at least 3');
    for (const length of [min, max]) {
      const name = containerName(length);
      const queue = `${name}-outbox`;
      assert.ok(queue.length <= 63, `the queue of a ${length}-character container name is ${queue.length} characters`);
      assert.equal(outboxQueueName(name), queue, `the bot uses the queue the template creates (${length} characters)`);
      // The bot accepts the name the template passes on as STORAGE_CONTAINER.
      const config = readConfig({
        MicrosoftAppId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        AAD_APP_CLIENT_ID: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
        AAD_APP_CLIENT_SECRET: 'sso-secret',
        AAD_APP_TENANT_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        BOT_ENDPOINT: 'https://governance-bot.azurewebsites.net',
        STORAGE_CONNECTION_STRING:
          'DefaultEndpointsProtocol=https;AccountName=governancebot;AccountKey=a2V5;EndpointSuffix=core.windows.net',
        STORAGE_CONTAINER: name,
      });
      assert.equal(config.storage.kind, 'blobs');
    }
  });

  // The bot reaches Storage only with a connection string (src/config.ts); the template gives it
  // the account's first access key (listKeys). That is Shared Key authorization, which an account
  // may disallow ("The default value is null, which is equivalent to true": allowSharedKeyAccess,
  // https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent), and a
  // regenerated key1 invalidates the setting until the template writes the new one
  // (https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage). Both were
  // nowhere in the README: a deployer met them as a refused deployment or a bot whose every
  // storage call failed.
  it('allows Shared Key on the account whose key it hands the bot, and the README says so and what a key rotation needs', () => {
    assert.match(bicep, /AccountKey=\$\{storage\.listKeys\(\)\.keys\[0\]\.value\}/, 'the bot gets key1');
    assert.match(resourceBody('Microsoft.Storage/storageAccounts'), /^\s*allowSharedKeyAccess: true$/m);
    assert.match(deploySection, /`allowSharedKeyAccess: true`/, 'the README names the account setting the bot needs');
    assert.match(deploySection, /Storage accounts should prevent shared key access/, 'and the policy that refuses it');
    assert.match(deploySection, /key1/, 'and what regenerating the key the bot holds needs');
  });
});
