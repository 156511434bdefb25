// Whether a write-ahead log left by a process that stopped without closing the database (a crash,
// a kill) still holds every transaction that process committed. SQLite's recovery replays the log
// only up to its first frame that fails its checksum or carries other salts, and drops the rest
// without a word: a log torn or overwritten by another program loses transactions the bot had
// answered "stored" for (an accepted event, its outbox item), and the bot would never know.
// https://www.sqlite.org/wal.html (recovery), https://www.sqlite.org/howtocorrupt.html (section 1)
//
// The log's format, checksums and "valid frame" rule: https://www.sqlite.org/fileformat2.html#walformat.
// The last process's own count of committed frames is in the wal-index (the -shm file, left on disk
// by a process that did not close): mxFrame of its header, whose two copies agree when it was not
// being written at the moment. https://www.sqlite.org/walformat.html#the_wal_index_header
// Read only while no process has the database open (the log is then still).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreProblems } from './problems';

const MAGIC_LE = 0x377f0682;
const MAGIC_BE = 0x377f0683;
const WAL_VERSION = 3007000;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;
/** One copy of the wal-index header; the second follows it. */
const INDEX_HEADER = 48;

export interface WalDamage {
  /** Frames SQLite's recovery keeps (those up to the last valid commit). */
  readonly kept: number;
  /** Frames the last process had committed, when its wal-index says. */
  readonly committed: number | null;
}

/** Damage found in `file`'s log, or null when recovery loses nothing the last process committed
 * (or there is no log, or nothing says more was committed than the log holds). */
function walDamage(file: string): WalDamage | null {
  const wal = readIfAny(`${file}-wal`);
  if (wal === null || wal.length === 0) return null;
  const header = readHeader(wal);
  const committed = committedFrames(readIfAny(`${file}-shm`), header === null ? null : wal.subarray(16, 24));
  if (header === null) return committed === 0 ? null : { kept: 0, committed };
  const { kept, tornOwnFrame } = validFrames(wal, header);
  // The last writer's own count decides: frames after its last commit that fail their checksum are
  // a transaction it was writing when it stopped (a kill in the middle of a write), never committed.
  if (committed !== null) return committed > kept ? { kept, committed } : null;
  // Without it, a frame of this log's own generation (its salts) whose checksum fails: written over or torn.
  if (tornOwnFrame) return { kept, committed };
  return null;
}

interface Header {
  readonly bigEndian: boolean;
  readonly pageSize: number;
  readonly salt1: number;
  readonly salt2: number;
  readonly sum: readonly [number, number];
}

function readHeader(wal: Buffer): Header | null {
  if (wal.length < WAL_HEADER) return null;
  const magic = wal.readUInt32BE(0);
  if (magic !== MAGIC_LE && magic !== MAGIC_BE) return null;
  if (wal.readUInt32BE(4) !== WAL_VERSION) return null;
  const pageSize = wal.readUInt32BE(8) === 1 ? 65536 : wal.readUInt32BE(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return null;
  const bigEndian = magic === MAGIC_BE;
  const sum = checksum(wal.subarray(0, 24), bigEndian, [0, 0]);
  if (sum[0] !== wal.readUInt32BE(24) || sum[1] !== wal.readUInt32BE(28)) return null;
  return { bigEndian, pageSize, salt1: wal.readUInt32BE(16), salt2: wal.readUInt32BE(20), sum };
}

/** Frames recovery keeps (up to the last valid commit frame), and whether it stopped at a frame of
 * the log's own generation that fails its checksum (frames of an older generation, which carry
 * other salts, are the normal end of a reused log). */
function validFrames(wal: Buffer, h: Header): { kept: number; tornOwnFrame: boolean } {
  let sum = h.sum;
  let kept = 0;
  const size = FRAME_HEADER + h.pageSize;
  for (let i = 0, at = WAL_HEADER; at < wal.length; i++, at += size) {
    if (at + size > wal.length) return { kept, tornOwnFrame: ownSalts(wal, at, h) };
    if (!ownSalts(wal, at, h)) return { kept, tornOwnFrame: false };
    sum = checksum(
      wal.subarray(at + FRAME_HEADER, at + size),
      h.bigEndian,
      checksum(wal.subarray(at, at + 8), h.bigEndian, sum),
    );
    if (sum[0] !== wal.readUInt32BE(at + 16) || sum[1] !== wal.readUInt32BE(at + 20))
      return { kept, tornOwnFrame: true };
    if (wal.readUInt32BE(at + 4) !== 0) kept = i + 1; // a commit frame: the database size after it
  }
  return { kept, tornOwnFrame: false };
}

function ownSalts(wal: Buffer, at: number, h: Header): boolean {
  return at + 16 <= wal.length && wal.readUInt32BE(at + 8) === h.salt1 && wal.readUInt32BE(at + 12) === h.salt2;
}

/** SQLite's log checksum: over 32-bit words in the log's byte order, two running sums. */
function checksum(data: Buffer, bigEndian: boolean, seed: readonly [number, number]): [number, number] {
  let s0 = seed[0];
  let s1 = seed[1];
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/** mxFrame of the wal-index header, when both copies agree and it was initialised; else null.
 * Its fields are in the machine's byte order, as the process that wrote it (this machine) has it.
 * A count above 0 holds only for the log whose salts the index copied (aSalt, bytes 32-39, as the
 * log header has them): the -shm file is never synced, so after a power loss it may be an older
 * generation's, whose count says nothing of this log. An index already restarted for a new
 * generation (count 0, new salts, the log header not yet rewritten) still says "nothing committed". */
function committedFrames(shm: Buffer | null, walSalts: Buffer | null): number | null {
  if (shm === null || shm.length < 2 * INDEX_HEADER) return null;
  if (!shm.subarray(0, INDEX_HEADER).equals(shm.subarray(INDEX_HEADER, 2 * INDEX_HEADER))) return null;
  if (shm[12] !== 1) return null; // isInit
  const mxFrame = os.endianness() === 'LE' ? shm.readUInt32LE(16) : shm.readUInt32BE(16);
  if (mxFrame > 0 && walSalts !== null && !shm.subarray(32, 40).equals(walSalts)) return null;
  return mxFrame;
}

function readIfAny(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return null;
    throw e;
  }
}

/** Reports a damaged write-ahead log and keeps a copy of it (and of its index) for inspection:
 * SQLite then recovers what the log still holds, and the rest is lost, but not unsaid. */
export function keepDamagedLog(file: string, problems: StoreProblems): void {
  const damage = walDamage(file);
  if (damage === null) return;
  const aside = `${file}.corrupt-${Date.now()}`;
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, aside + suffix);
  }
  // Without the last writer's wal-index nothing tells what was written after the damage, if anything.
  const recovered =
    damage.committed === null
      ? `${damage.kept} frames could be recovered, and any changes written after them are lost`
      : `${damage.kept} frames of the ${damage.committed} written could be recovered, and the changes written after them are lost`;
  const keptAs = `${path.basename(aside)}-wal`;
  problems.add({
    subject: 'write-ahead log',
    reason: `it was damaged: ${recovered}`,
    keptAs,
    text: `the state database's write-ahead log was damaged: ${recovered}; the log was copied aside as ${keptAs}`,
  });
}
