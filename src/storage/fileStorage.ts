// Durable botbuilder Storage for one machine: one JSON file per key, atomic replace, eTags as
// MemoryStorage has them, and a compare-and-swap that holds across processes (two bot processes
// on one box) through a lock file per key.

import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Storage, StoreItems } from 'botbuilder';

/** Storage that can also create an item only when its key is absent (botbuilder's cannot). */
export interface ConditionalStorage extends Storage {
  /** Writes the item when no item has this key; false when one exists. */
  create(key: string, item: Record<string, unknown>): Promise<boolean>;
}

export class ETagConflictError extends Error {
  readonly statusCode = 412;
  constructor(key: string) {
    super(`Storage: etag conflict writing "${key}".`);
    this.name = 'ETagConflictError';
  }
}

interface Stored {
  readonly key: string;
  readonly eTag: string;
  readonly value: Record<string, unknown>;
}

const STALE_LOCK_MS = 10_000;

export class FileStorage implements ConditionalStorage {
  constructor(private readonly directory: string) {
    fs.mkdirSync(directory, { recursive: true });
  }

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const key of keys) {
      const s = await this.load(key);
      if (s) out[key] = { ...s.value, eTag: s.eTag };
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, change] of Object.entries(changes)) {
      const { eTag, ...value } = (change ?? {}) as Record<string, unknown>;
      await this.locked(key, async () => {
        if (typeof eTag === 'string' && eTag !== '' && eTag !== '*') {
          const current = await this.load(key);
          if (!current || current.eTag !== eTag) throw new ETagConflictError(key);
        }
        await this.save(key, value);
      });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.locked(key, () => fs.promises.rm(this.fileOf(key), { force: true }));
    }
  }

  async create(key: string, item: Record<string, unknown>): Promise<boolean> {
    return this.locked(key, async () => {
      if (await this.load(key)) return false;
      const { eTag: _ignored, ...value } = item;
      await this.save(key, value);
      return true;
    });
  }

  private fileOf(key: string): string {
    return path.join(this.directory, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  private async load(key: string): Promise<Stored | null> {
    try {
      const s = JSON.parse(await fs.promises.readFile(this.fileOf(key), 'utf8')) as Stored;
      return s.key === key ? s : null;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Write to a temporary file, flush it, then rename over the old one: never half-written. */
  private async save(key: string, value: Record<string, unknown>): Promise<void> {
    const file = this.fileOf(key);
    const tmp = `${file}.${randomUUID()}.tmp`;
    const stored: Stored = { key, eTag: randomUUID(), value };
    const handle = await fs.promises.open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify(stored));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
  }

  private async locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const lock = `${this.fileOf(key)}.lock`;
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await fs.promises.open(lock, 'wx');
        await handle.close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        try {
          const age = Date.now() - (await fs.promises.stat(lock)).mtimeMs;
          // A process that died holding the lock must not block the key forever.
          if (age > STALE_LOCK_MS) await fs.promises.rm(lock, { force: true });
        } catch {
          // The holder released it meanwhile.
        }
        if (attempt > 2000) throw new Error(`Storage: could not lock "${key}".`);
        await new Promise((r) => setTimeout(r, 1 + Math.random() * Math.min(20, attempt + 2)));
      }
    }
    try {
      return await work();
    } finally {
      await fs.promises.rm(lock, { force: true });
    }
  }
}
