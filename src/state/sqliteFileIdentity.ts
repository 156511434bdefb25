// Whether the state database's path still names the file the store opened. SQLite keeps the file
// it opened: once an operator deletes the state directory, or restores it from a backup, the open
// connection goes on reading and writing a file no longer at the path (unlinked, or renamed away),
// and every write it answers as stored is gone at the next start. SQLite itself refuses writes to
// a moved file only in rollback-journal mode (SQLITE_READONLY_DBMOVED,
// https://www.sqlite.org/rescode.html#readonly_dbmoved), not in WAL mode, which the store uses.
//
// A file is told by its device and inode (bigint: an inode may pass 2^53, and Windows' file ids
// do), read from the path right after opening and after every operation. One stat costs about as
// much as one indexed read of a record (2-15 µs measured, the second on a loaded machine), far
// below a write synced to disk.

import * as fs from 'node:fs';

export class FileIdentity {
  private constructor(
    private readonly file: string,
    private readonly dev: bigint,
    private readonly ino: bigint,
  ) {}

  /** The identity of the file now at `file`, or null when there is none. */
  static of(file: string): FileIdentity | null {
    const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
    return stat ? new FileIdentity(file, stat.dev, stat.ino) : null;
  }

  /** Whether the path still names this file (false once it was removed, or replaced by another).
   * An error that says nothing of a move (a directory made unreadable) counts as still there. */
  stillAtPath(): boolean {
    let now: fs.BigIntStats | undefined;
    try {
      now = fs.statSync(this.file, { bigint: true, throwIfNoEntry: false });
    } catch (e) {
      // A directory on the way replaced by a file: the database is not there either.
      return (e as { code?: unknown }).code !== 'ENOTDIR';
    }
    return now !== undefined && now.dev === this.dev && now.ino === this.ino;
  }
}
