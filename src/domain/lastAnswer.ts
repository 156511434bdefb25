// Graph's last answer within one command (contract §6: the audit line's graphStatus is "the HTTP
// status of Graph's last answer, null only when none came"). A command makes several Graph calls
// (a click's read, the read before a decision, the write, a re-send, the reads after it), some
// inside one port call, all through the one shared client: the command creates one log and hands
// it explicitly to each call it makes, and the client's last step notes every answered exchange
// in it (graph/fetchStep.ts). Explicit on purpose: following the command across awaits with
// AsyncLocalStorage would put promise hooks on every promise of the process (test/unit/noAsyncHooks).

import type { Attempts } from './attempts';
import type { GraphEvidence } from './errors';

/** What a decision is about, as the request read before it tells (graph/decisionRead.ts): the
 * role, group or access package asked for, and who asked; each null when Graph did not say. */
export interface RequestNames {
  readonly what: string | null;
  readonly requester: string | null;
}

export class LastAnswer {
  private answer: GraphEvidence | null = null;
  private names: RequestNames | null = null;

  /** Notes what the command's request is about, from a read it made (the read before a decision). */
  noteRequest(names: RequestNames): void {
    this.names = names;
  }

  /** What the command's request is about, null when no read of it told. */
  request(): RequestNames | null {
    return this.names;
  }

  /** Notes an exchange Graph answered (any status, a retried 429 or 503 too). */
  note(answer: GraphEvidence): void {
    this.answer = answer;
  }

  /** The last exchange Graph answered in the command, null when none came. */
  last(): GraphEvidence | null {
    return this.answer;
  }
}

/** What one Graph port call carries besides its target and token: what is left of the operation's
 * time (none: the call's own 30 s), the log of the command it belongs to (none: not audited), and
 * the attempts its write has made so far (a re-send shares its first sends' count; attempts.ts). */
export interface GraphCall {
  readonly budgetMs?: number;
  readonly answers?: LastAnswer;
  readonly attempts?: Attempts;
  /** A write's re-send after its lost answer: the read before a decision is not made again. What
   * it tells (who asked, whether Graph can decide the request) is fixed when the request is made,
   * and the first send followed it; read again, it would only take the re-send's time. */
  readonly resend?: true;
  /** A typed decision's sender, or any decision's on its re-send (Entra object id): the stage a write
   * reads for is never one open only because that sender approved the stage before it since the
   * command came, or since its first send (approvedSinceTyped). */
  readonly sender?: string;
}
