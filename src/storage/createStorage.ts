import { StorageSettings } from '../config';
import { AzureBlobStorage } from './blobStorage';
import { ConditionalStorage, FileStorage } from './fileStorage';

/** The durable store the configuration names: a local directory, or an Azure Blob container. */
export function createStorage(settings: StorageSettings): ConditionalStorage {
  return settings.kind === 'blobs'
    ? new AzureBlobStorage(settings.connectionString, settings.container)
    : new FileStorage(settings.directory);
}
