import * as path from 'node:path';
import { StorageSettings } from '../config';
import { StatePort } from './port';
import { SqliteState } from './sqlite';

/** The state store the configuration names: with STORAGE_CONNECTION_STRING and STORAGE_CONTAINER,
 * Azure Storage (records in that blob container, the outbox in the queue `<container>-outbox` of
 * the same account: see `outboxQueueName`); otherwise SQLite in STATE_DIRECTORY. */
export async function createState(settings: StorageSettings): Promise<StatePort> {
  if (settings.kind === 'blobs') {
    // The Azure SDKs are loaded only when configured: on one machine they would be dead weight.
    const { AzureState } = await import('./azure');
    return new AzureState({ connectionString: settings.connectionString, container: settings.container });
  }
  return new SqliteState(path.join(settings.directory, 'state.db'));
}
