import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readConfig } from '../../src/config';
import { projectRoot } from '../../src/paths';
import { outboxQueueName } from '../../src/state/azure';
import { BLOB_ENDPOINT, QUEUE_ENDPOINT, managedIdentityBot } from '../fixtures/configEnv';

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
        ...managedIdentityBot,
        STORAGE_BLOB_ENDPOINT: BLOB_ENDPOINT,
        STORAGE_QUEUE_ENDPOINT: QUEUE_ENDPOINT,
        STORAGE_CONTAINER: name,
      });
      assert.equal(config.storage.kind, 'blobs');
    }
  });

  // Keyless: Microsoft recommends Microsoft Entra authorization with managed identities over
  // Shared Key, and an account can refuse Shared Key outright (allowSharedKeyAccess: false; an Azure
  // Policy may demand it): https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent.
  // The template handed the bot key1 in a connection string and had to allow Shared Key: a tenant
  // whose policy denies it could not deploy, and a regenerated key1 stopped every storage call.
  it('refuses Shared Key on the account and hands the bot no key: it signs in as its managed identity', () => {
    assert.match(resourceBody('Microsoft.Storage/storageAccounts'), /^\s*allowSharedKeyAccess: false$/m);
    assert.doesNotMatch(bicep, /listKeys|AccountKey|STORAGE_CONNECTION_STRING/, 'no key anywhere in the template');
    assert.match(bicep, /^\s*STORAGE_BLOB_ENDPOINT: storage\.properties\.primaryEndpoints\.blob$/m);
    assert.match(bicep, /^\s*STORAGE_QUEUE_ENDPOINT: storage\.properties\.primaryEndpoints\.queue$/m);
  });

  // Data access as the identity needs data roles on the account
  // (https://learn.microsoft.com/azure/storage/blobs/assign-azure-role-data-access,
  // https://learn.microsoft.com/azure/storage/queues/assign-azure-role-data-access). The ids are
  // those of the built-in roles page
  // (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage):
  // Storage Blob Data Contributor ba92f5b4-2d11-453d-a403-e96b0029c9fe (read, write and delete
  // containers and blobs: records, sweep, quarantine) and Storage Queue Data Contributor
  // 974c5e8b-45b9-4653-ba55-5f855dd0fb88 (create the queue, add, get, update and delete messages).
  it('assigns the bot identity Storage Blob Data Contributor and Storage Queue Data Contributor on the account', () => {
    const assignments = bicep
      .split('\nresource ')
      .filter((r) => r.includes("'Microsoft.Authorization/roleAssignments@"));
    const roleIds = new Map(
      [...bicep.matchAll(/^var (\w+) = '([0-9a-f-]{36})'$/gm)].map((m) => [m[1]!, m[2]!] as const),
    );
    const granted = assignments.map((body) => {
      assert.match(body, /^\s*scope: storage$/m, 'on the storage account');
      assert.match(body, /^\s*principalId: identity\.properties\.principalId$/m, 'to the bot identity');
      assert.match(body, /^\s*principalType: 'ServicePrincipal'$/m);
      const role =
        /roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', (\w+)\)/.exec(body);
      assert.ok(role, 'a built-in role definition');
      assert.match(body, new RegExp(`name: guid\\(storage\\.id, identity\\.id, ${role[1]}\\)`), 'a stable name');
      return roleIds.get(role[1]!);
    });
    assert.deepEqual(granted.sort(), ['974c5e8b-45b9-4653-ba55-5f855dd0fb88', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe']);
    // The bot's settings come after its roles.
    assert.match(bicep, /name: 'appsettings'[\s\S]*?dependsOn: \[\s*blobDataRole\s*queueDataRole\s*\]/);
  });

  it('the README says the deployer must be able to create role assignments, and that Shared Key is off', () => {
    assert.match(deploySection, /`allowSharedKeyAccess: false`/);
    assert.match(deploySection, /Storage Blob Data Contributor/);
    assert.match(deploySection, /Storage Queue Data Contributor/);
    assert.match(deploySection, /Owner, User Access Administrator or Role Based Access Control Administrator/);
  });
});
