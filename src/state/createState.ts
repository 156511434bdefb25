import * as path from 'node:path';
import { StorageSettings } from '../config';
import { StatePort } from './port';
import { SqliteState } from './sqlite';

/** The state store the configuration names. */
export function createState(settings: StorageSettings): StatePort {
  if (settings.kind === 'blobs') throw new Error('Azure Storage state is not wired yet.');
  return new SqliteState(path.join(settings.directory, 'state.db'));
}
