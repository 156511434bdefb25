// Where durable state lives (contract §2): SQLite in STATE_DIRECTORY on one machine, or one Azure
// Storage account for several, reached either with a connection string (Shared Key or SAS) or
// keyless, as the bot's user-assigned managed identity with Azure RBAC (Microsoft's
// recommendation: https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent).
//
// The keyless way names the account by its two service endpoints rather than by its name: a real
// account's differ by `.blob.`/`.queue.` and by the cloud's suffix, Azurite's by port, a private
// endpoint's by host; the endpoints (the template's primaryEndpoints) say all of that as they are.

import { configValue as value, type Env, quotedUrl, quotedValue } from './configValues';

/** How the bot signs in to its storage account. */
export type StorageAccess =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | {
      readonly kind: 'managedIdentity';
      /** https root of the Blob service, without a trailing slash. */
      readonly blobEndpoint: string;
      /** https root of the Queue service, without a trailing slash. */
      readonly queueEndpoint: string;
      /** Client id of the user-assigned managed identity (the bot's, MicrosoftAppId). */
      readonly clientId: string;
    };

/** Where durable state (card claims, conversation references) lives. */
export type StorageSettings =
  | { readonly kind: 'file'; readonly directory: string }
  | { readonly kind: 'blobs'; readonly access: StorageAccess; readonly container: string };

/** The bot's identity as far as the keyless way needs it. */
export interface StorageIdentity {
  readonly appType: string;
  readonly appId: string | undefined;
  readonly production: boolean;
}

const KEYLESS = 'STORAGE_BLOB_ENDPOINT and STORAGE_QUEUE_ENDPOINT';

/** The storage the configuration names; each problem goes to `problems`. */
export function storageSettings(
  env: Env,
  defaultDirectory: string,
  identity: StorageIdentity,
  problems: string[],
): StorageSettings {
  const connection = value(env, 'STORAGE_CONNECTION_STRING');
  const blob = value(env, 'STORAGE_BLOB_ENDPOINT');
  const queue = value(env, 'STORAGE_QUEUE_ENDPOINT');
  const container = value(env, 'STORAGE_CONTAINER');
  const file: StorageSettings = { kind: 'file', directory: value(env, 'STATE_DIRECTORY') ?? defaultDirectory };
  const keyless = blob !== undefined || queue !== undefined;

  if (connection !== undefined && keyless) {
    problems.push(
      `Set either STORAGE_CONNECTION_STRING (an account key or SAS) or ${KEYLESS} (keyless, as the bot's managed identity), not both.`,
    );
    return file;
  }
  if (connection === undefined && !keyless) {
    if (container !== undefined) {
      problems.push(
        `STORAGE_CONTAINER needs the account: set ${KEYLESS} (keyless, as the bot's managed identity) or STORAGE_CONNECTION_STRING; or unset it for STATE_DIRECTORY.`,
      );
    }
    return file;
  }
  if (container === undefined) {
    problems.push(
      `STORAGE_CONTAINER is required with ${connection !== undefined ? 'STORAGE_CONNECTION_STRING' : KEYLESS}: the blob container of the records.`,
    );
  } else if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(container)) {
    problems.push(
      `STORAGE_CONTAINER must be 3-63 lowercase letters, digits and single hyphens ${quotedValue(container)}.`,
    );
  }

  let access: StorageAccess | null = null;
  if (connection !== undefined) {
    if (!/AccountName=|BlobEndpoint=|UseDevelopmentStorage=true/i.test(connection)) {
      problems.push('STORAGE_CONNECTION_STRING must be an Azure Storage connection string.');
    }
    access = { kind: 'connectionString', connectionString: connection };
  } else {
    const blobEndpoint = serviceEndpoint('STORAGE_BLOB_ENDPOINT', blob, 'queue', problems);
    const queueEndpoint = serviceEndpoint('STORAGE_QUEUE_ENDPOINT', queue, 'blob', problems);
    if (blobEndpoint !== null && blobEndpoint === queueEndpoint) {
      problems.push(
        `${KEYLESS} must differ: Blob and Queue Storage answer at different endpoints (".blob." and ".queue." hosts, or two ports on Azurite).`,
      );
    }
    if (!identity.production || identity.appType !== 'UserAssignedMSI' || identity.appId === undefined) {
      problems.push(
        `${KEYLESS} sign in to Storage as the bot's user-assigned managed identity: they need MicrosoftAppType=UserAssignedMSI with MicrosoftAppId its client id. Otherwise set STORAGE_CONNECTION_STRING instead.`,
      );
    } else if (blobEndpoint !== null && queueEndpoint !== null) {
      access = { kind: 'managedIdentity', blobEndpoint, queueEndpoint, clientId: identity.appId };
    }
  }
  if (access === null || container === undefined) return file;
  return { kind: 'blobs', access, container };
}

/** An https service root: no query (a SAS has no place here), user name or fragment, and not the
 * other service's host. Null, with a problem, otherwise. */
function serviceEndpoint(
  key: string,
  raw: string | undefined,
  other: 'blob' | 'queue',
  problems: string[],
): string | null {
  const service = other === 'blob' ? 'Queue' : 'Blob';
  if (raw === undefined) {
    problems.push(
      `${key} is required with ${KEYLESS}: the ${service} service endpoint of the account, such as https://<account>.${service.toLowerCase()}.core.windows.net.`,
    );
    return null;
  }
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (
    url === null ||
    url.protocol !== 'https:' ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    problems.push(
      `${key} must be the https ${service} service endpoint of the account, without a query (no SAS), such as https://<account>.${service.toLowerCase()}.core.windows.net ${quotedUrl(raw)}.`,
    );
    return null;
  }
  if (url.hostname.includes(`.${other}.`)) {
    problems.push(
      `${key} names the ${other === 'blob' ? 'Blob' : 'Queue'} service (".${other}." host) ${quotedUrl(raw)}.`,
    );
    return null;
  }
  return url.href.replace(/\/+$/, '');
}
