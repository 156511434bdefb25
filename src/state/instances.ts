// Which bot processes are alive, so a click that finds a claim held by a process that crashed
// reconciles it against Graph at once instead of waiting out its lease. Each process has a boot id
// and keeps a short-lived heartbeat record; a process in this pid namespace is also checked
// directly (its pid), which tells a crash apart at once after a restart.
//
// A pid means something only inside its pid namespace: two containers on one VM with host
// networking share the host name, but pid 1 in one is not pid 1 in the other. So the pid is asked
// only of a heartbeat written in this very pid namespace (the kernel's boot id and the namespace's
// inode, as Linux shows them under /proc); anywhere else, or when either side cannot tell, a fresh
// heartbeat means alive. Judging a live process dead would let its claim be taken over (a write
// made twice); judging a dead one alive only waits out its lease. A missing heartbeat is therefore
// only "silent" (the process ended, or cannot write its heartbeat while it still works): the claim
// holders' watch (domain/claimHolders.ts) weighs it against the claim's last renewal.

import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Records } from './port';

interface Heartbeat {
  readonly host: string;
  readonly pid: number;
  /** The pid namespace the pid belongs to; absent when unknown (and in heartbeats of earlier
   * releases). */
  readonly pidNamespace?: string;
  readonly startedAt: number;
}

export interface InstancesOptions {
  readonly now?: () => number;
  /** A heartbeat not renewed within this time means the process is gone. */
  readonly ttlMs?: number;
  readonly bootId?: string;
  readonly host?: string;
  readonly pid?: number;
  /** The pid namespace this process runs in, null when unknown (tests stand in for another
   * container); read from /proc when omitted. */
  readonly pidNamespace?: string | null;
  /** Is a process of this pid namespace running? (tests stand in for a crashed one) */
  readonly processAlive?: (pid: number) => boolean;
}

const PREFIX = 'instance:';

export class Instances {
  readonly bootId: string;
  private readonly ttlMs: number;
  private readonly host: string;
  private readonly pid: number;
  private readonly pidNamespace: string | null;
  private readonly now: () => number;
  private readonly processAlive: (pid: number) => boolean;
  private timer: NodeJS.Timeout | null = null;
  /** The beat under way: never two at once, and stop() deletes again once it has landed. */
  private beating: Promise<void> | null = null;
  /** Set by stop(): a start() still on its first beat arms no timer. */
  private stopped = false;

  constructor(
    private readonly records: Records,
    opts: InstancesOptions = {},
  ) {
    this.bootId = opts.bootId ?? randomUUID();
    this.ttlMs = opts.ttlMs ?? 15_000;
    this.host = opts.host ?? os.hostname();
    this.pid = opts.pid ?? process.pid;
    this.pidNamespace = opts.pidNamespace !== undefined ? opts.pidNamespace : currentPidNamespace();
    this.now = opts.now ?? Date.now;
    this.processAlive = opts.processAlive ?? pidAlive;
  }

  /** Writes the heartbeat now and keeps it fresh until stop(). A store that cannot be written
   * never stops the process from starting (it answers 503 and /readyz says why): the first beat's
   * failure goes to `onError` like every later one. */
  async start(onError: (e: unknown) => void = () => undefined): Promise<void> {
    await this.beatOnce(onError);
    if (this.stopped) return;
    this.timer = setInterval(() => {
      // A missed beat makes this process look silent: its claims renewed lately still hold
      // (domain/claimHolders.ts), the others are taken over. A slow store skips a tick rather
      // than piling beats up.
      if (!this.beating) void this.beatOnce(() => undefined);
    }, this.ttlMs / 3);
    this.timer.unref();
  }

  /** No more beats, and the heartbeat goes at once: the caller gives this little time (the
   * shutdown's STOP_INSTANCE_MS), less than a store call may take. A beat still under way may land
   * after that delete and keep a stopped process alive for a ttl, so once it has landed (or
   * failed) the heartbeat is deleted again. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const under = this.beating;
    await this.deleteHeartbeat();
    if (under) {
      await under;
      await this.deleteHeartbeat();
    }
  }

  private async deleteHeartbeat(): Promise<void> {
    await this.records.delete(PREFIX + this.bootId).catch(() => false);
  }

  /** One beat, known as the one under way until it has landed or failed (to `onError`). */
  private beatOnce(onError: (e: unknown) => void): Promise<void> {
    const beating = this.beat()
      .catch(onError)
      .finally(() => {
        if (this.beating === beating) this.beating = null;
      });
    this.beating = beating;
    return beating;
  }

  async beat(): Promise<void> {
    const value: Heartbeat = {
      host: this.host,
      pid: this.pid,
      ...(this.pidNamespace !== null ? { pidNamespace: this.pidNamespace } : {}),
      startedAt: this.now(),
    };
    await this.records.put(PREFIX + this.bootId, value, { ttlMs: this.ttlMs });
  }

  /**
   * 'gone' when the process is known to have ended (a process of this pid namespace whose pid is
   * not running, or our own pid under another boot id: a restart); 'silent' when it has no
   * heartbeat (ended, or alive but unable to write its heartbeat: the store failing for it alone);
   * 'alive' when its heartbeat is fresh.
   */
  async liveness(bootId: string): Promise<'alive' | 'gone' | 'silent'> {
    if (bootId === this.bootId) return 'alive';
    const beat = (await this.records.get<Heartbeat>(PREFIX + bootId))?.value;
    if (!beat) return 'silent';
    // Same pid namespace: ask the OS. Our own pid under another boot id is a process that restarted.
    const sameNamespace = this.pidNamespace !== null && beat.pidNamespace === this.pidNamespace;
    if (beat.host === this.host && sameNamespace) {
      return beat.pid !== this.pid && this.processAlive(beat.pid) ? 'alive' : 'gone';
    }
    return 'alive';
  }
}

let pidNamespace: string | null | undefined;

/** This process's pid namespace on this running kernel, or null where /proc does not tell (not
 * Linux, or hidden). The namespace inode alone is not enough: the first namespace has the same
 * inode on every Linux machine, so the kernel's boot id says which machine (and boot) it is. */
function currentPidNamespace(): string | null {
  if (pidNamespace === undefined) {
    try {
      const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      const namespace = fs.readlinkSync('/proc/self/ns/pid');
      pidNamespace = boot && namespace ? `${boot}/${namespace}` : null;
    } catch {
      pidNamespace = null;
    }
  }
  return pidNamespace;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}
