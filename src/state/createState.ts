import * as path from 'node:path';
import { StorageSettings } from '../config';
import { StatePort } from './port';
import { SqliteState } from './sqlite';

/** The state store the configuration names: with STORAGE_CONTAINER and either
 * STORAGE_CONNECTION_STRING or (keyless) STORAGE_BLOB_ENDPOINT and STORAGE_QUEUE_ENDPOINT, Azure Storage (records in that blob container, the outbox in the queue `<container>-outbox` of
 * the same account: see `outboxQueueName`); otherwise SQLite in STATE_DIRECTORY. */
export async function createState(settings: StorageSettings): Promise<StatePort> {
  if (settings.kind === 'blobs') {
    // The Azure SDKs are loaded only when configured: on one machine they would be dead weight.
    const { AzureState } = await import('./azure');
    const { access, container } = settings;
    if (access.kind === 'connectionString') {
      return new AzureState({ connectionString: access.connectionString, container });
    }
    // Keyless: the app's user-assigned managed identity (App Service's IDENTITY_ENDPOINT), whose
    // tokens the account's role assignments authorize.
    const { ManagedIdentityCredential } = await import('@azure/identity');
    const credential = new ManagedIdentityCredential({ clientId: access.clientId });
    return new AzureState({
      keyless: { blobEndpoint: access.blobEndpoint, queueEndpoint: access.queueEndpoint, credential },
      container,
    });
  }
  return new SqliteState(path.join(settings.directory, 'state.db'));
}
