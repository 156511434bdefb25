// Azure Blob Storage for several bot instances: botbuilder-azure-blobs' BlobsStorage for the
// Storage interface, plus a create-if-absent it cannot express (it writes unconditionally when an
// item has no eTag), done with the blob SDK's If-None-Match: * on the same container.

import { ContainerClient } from '@azure/storage-blob';
import type { StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { ConditionalStorage } from './fileStorage';

export class AzureBlobStorage implements ConditionalStorage {
  private readonly blobs: BlobsStorage;
  private readonly container: ContainerClient;
  private ready: Promise<unknown> | null = null;

  constructor(connectionString: string, containerName: string) {
    this.blobs = new BlobsStorage(connectionString, containerName);
    this.container = new ContainerClient(connectionString, containerName);
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.blobs.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    return this.blobs.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.blobs.delete(keys);
  }

  async create(key: string, item: Record<string, unknown>): Promise<boolean> {
    if (key.includes('/')) throw new Error('Claim keys must not contain "/".');
    this.ready ??= this.container.createIfNotExists();
    await this.ready;
    const { eTag: _ignored, ...value } = item;
    const body = JSON.stringify(value);
    try {
      // BlobsStorage names a blob by the URI-encoded key; use the same name so read() finds it.
      await this.container.getBlockBlobClient(encodeURIComponent(key)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return true;
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode;
      if (status === 409 || status === 412) return false;
      throw e;
    }
  }
}
