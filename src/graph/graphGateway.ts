// Executes catalog entries against Microsoft Graph with the user's delegated token, over the one
// shared Graph client (GraphCaller: its middleware chain and why only 429 is retried there). The
// generic list reads (getJson, batchGet, endpoint) come from GraphReads.
//
// Reads go as the user is entitled to: the admin read (get by id) when the user's token holds its
// permission, else, or when Graph refuses it, the self-service read (filterByCurrentUser with an
// id filter) that needs no admin role. The bot decodes its own delegated token's `scp` without
// verifying it: it got the token from Entra, and only chooses a read by it; Graph still decides.

import {
  BadInputError,
  GraphEvidence,
  InvalidStateError,
  NotForReaderError,
  NotPermittedError,
  NO_GRAPH,
  NO_TIME_TO_SEND,
  NotSentError,
  UpstreamError,
} from '../domain/errors';
import { approvedSinceTyped } from '../domain/laterStage';
import { SentBeforeOwnStageError, stageReadFailed } from '../domain/namedStage';
import { LEAST_ATTEMPT_MS } from '../domain/attempts';
import { AccessTokenSource, GraphPort, StateRead } from '../domain/governance';
import { CATALOG, OperationSpec, SelfReadSpec, Target, fillPath, isGuid, stateIn } from '../domain/operations';
import { holds } from '../domain/rights';
import type { GraphCall, LastAnswer } from '../domain/lastAnswer';
import { evidenceOf } from './graphErrors';
import { graphWord } from './graphWords';
import { refuseBarredUnsent } from './decisionRead';
import { GraphAnswer, GraphRequestLine, scopesOf } from './graphCaller';
import { GraphReads } from './graphReads';
import { SELF_READ_PAGES, Search, byIdQuery, findById, objectOf, parseJson } from './pagedFind';

export type { FetchLike } from './fetchStep';
export type { GraphGatewayOptions } from './graphCaller';
export { scopesOf } from './graphCaller';

/** The read before a decision, all its pages: one deadline, as a list's (a command's call's 30 s). */
const DECISION_READ_MS = 30_000;

/** https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations */
const INCLUDE_UNKNOWN_ENUM_MEMBERS = { Prefer: 'include-unknown-enum-members' } as const;

/** When the calls of one port call must end (none: each call its own 30 s), and the log of the
 * command they are part of (each answer Graph gives them is noted there). */
interface Within {
  readonly until: number | undefined;
  readonly answers: LastAnswer | undefined;
}

export class GraphGateway extends GraphReads implements GraphPort {
  /** The catalog entry's request (its method and version). Any 2xx is success. `budgetMs`: what is
   * left of the operation's time (a re-send's, or a click's or a command's one deadline), its read
   * before included; none left after that read, the write is not sent. Every answer, the reads'
   * before it too, is noted in `answers`. */
  async write(
    target: Target,
    token: AccessTokenSource,
    { budgetMs, answers, attempts, resend, sender }: GraphCall = {},
  ): Promise<GraphEvidence> {
    const spec = CATALOG[target.operation];
    // Made before the first send only (GraphCall.resend).
    const before = resend ? undefined : (spec.undecidable ?? spec.requesterRead);
    const until = budgetMs === undefined ? undefined : this.caller.now() + budgetMs;
    const readUntil = Math.min(until ?? Infinity, this.caller.now() + DECISION_READ_MS);
    // Graph's last answer before the write: the audit's, when the write is then not sent (contract §6).
    let last = before
      ? await refuseBarredUnsent(this.caller, spec, before, target, this.pathFor(`{${before.idName}}`, target), {
          accessToken: await token(),
          until: readUntil,
          answers,
        })
      : NO_GRAPH;
    // A card click names the stage it claimed (cardAction.ts): that one is written, never a stage
    // a fresh read finds open since (Graph answers 409 when another approver decided it).
    let sending = target;
    const left = () => (until === undefined ? undefined : until - this.caller.now());
    if (spec.idFromRead !== undefined && !isGuid(target.ids[spec.idFromRead]))
      ({ target: sending, graph: last } = await this.withIdFromRead(target, token, {
        budgetMs: left(),
        answers,
        sender,
      }));
    const path = this.pathFor(spec.path, sending);
    const body = spec.body(target);
    // The token first: its time (a slow on-behalf-of exchange) is the write's too, so the write's
    // deadline below is judged after it, never pushed past the operation's end.
    const accessToken = await token();
    // The reads above share the write's time: with less than an attempt's least time left, the
    // write would be cut at the deadline unanswered ("may or may not have taken effect") though it
    // likely never reached Graph, so it is not sent, and the person is told nothing was.
    const sendWithin = left();
    if (sendWithin !== undefined && sendWithin < LEAST_ATTEMPT_MS) throw new NotSentError(NO_TIME_TO_SEND, last);
    const line: GraphRequestLine = {
      method: spec.method,
      version: spec.version,
      ...(sendWithin ? { budgetMs: sendWithin } : {}),
      answers,
      // The write's sends only (its reads above have their own): a re-send shares the count.
      ...(attempts ? { attempts } : {}),
    };
    const answer = await this.caller.call(spec, accessToken, line, path, body);
    return evidenceOf(answer);
  }

  /**
   * The item's state, read as the user is entitled to. The admin read when the token holds its
   * permission (or cannot be decoded); when Graph refuses it, or without that permission, the
   * self-service read where the entry has one. An item that is not the user's own then fails as
   * NotPermittedError (never NotFoundError: it may exist, and the write must still be tried).
   * `budgetMs`: what is left of the operation's time; every call of the read shares it, and notes
   * Graph's answers in `answers`.
   */
  async readState(target: Target, token: AccessTokenSource, { budgetMs, answers }: GraphCall = {}): Promise<StateRead> {
    const spec = CATALOG[target.operation];
    const within: Within = { until: this.untilOf(budgetMs), answers };
    const accessToken = await token();
    const self = spec.selfService?.read;
    const scopes = scopesOf(accessToken);
    const mayReadAll =
      scopes === null || holds(scopes, { least: spec.read.permission, higher: spec.read.higher ?? [] });
    if (self && !mayReadAll) return this.ownOrRefuse(spec, self, target, accessToken, within);
    try {
      return await this.readById(spec, target, accessToken, within);
    } catch (e) {
      if (self && e instanceof NotPermittedError) return this.ownOrRefuse(spec, self, target, accessToken, within);
      throw e;
    }
  }

  /**
   * The self-service read alone: the item when it is the user's own, null when it is not (or does
   * not exist); undefined when the entry has no self-service read, or when the search stopped
   * before its end (its page limit, a link elsewhere) without finding it: then whether it is theirs
   * is not known.
   */
  async readOwn(
    target: Target,
    token: AccessTokenSource,
    { budgetMs, answers }: GraphCall = {},
  ): Promise<StateRead | null | undefined> {
    const spec = CATALOG[target.operation];
    const self = spec.selfService?.read;
    const within: Within = { until: this.untilOf(budgetMs), answers };
    if (!self) return undefined;
    const mine = await this.readMine(spec, self, target, await token(), within);
    // Not found in a search that stopped before its end: whether it is theirs is not known.
    return mine.found ?? (mine.complete ? null : undefined);
  }

  private async ownOrRefuse(
    spec: OperationSpec,
    self: SelfReadSpec,
    target: Target,
    accessToken: string,
    within: Within,
  ) {
    const mine = await this.readMine(spec, self, target, accessToken, within);
    if (mine.found) return mine.found;
    const needs = `reading it directly needs ${spec.read.permission}`;
    if (mine.complete) throw new NotPermittedError(`The ${spec.noun} is not among yours, and ${needs}.`);
    // A long history (on='target' lists past requests too) can hold it beyond the pages read; a
    // next page's link outside this Graph root is never followed with the user's token.
    const pages = mine.stopped === 'pageLimit' ? SELF_READ_PAGES : mine.pages;
    const listed = `on the first ${pages === 1 ? 'page' : `${pages} pages`} Microsoft Graph listed`;
    const where =
      mine.stopped === 'linkElsewhere'
        ? `${listed}, whose link to the next page points outside the Graph address the bot uses (a link it does not follow with your sign-in)`
        : listed;
    throw new NotPermittedError(
      `Governance Bot did not find the ${spec.noun} among the ${mine.read} of your requests ${where}; it may be further on. Check the id, or use the Entra admin center; ${needs}.`,
    );
  }

  /** GET by id (the admin read). */
  private async readById(spec: OperationSpec, target: Target, accessToken: string, within: Within): Promise<StateRead> {
    const read = spec.read;
    const request: GraphRequestLine = {
      method: 'GET',
      version: read.version,
      ...this.budgetUntil(within),
      ...(read.expand?.length ? { query: { $expand: read.expand.join(',') } } : {}),
      ...(read.includeUnknownEnumMembers ? { headers: INCLUDE_UNKNOWN_ENUM_MEMBERS } : {}),
    };
    const answer = await this.caller.call(spec, accessToken, request, this.pathFor(read.path, target), undefined);
    const item = objectOf(parseJson(answer.bodyText));
    return this.stateOf(spec, item, answer);
  }

  /**
   * filterByCurrentUser with `$filter=id eq '{id}'`: the single element of `value`, if any. Where
   * the type's id cannot be filtered on (idFilter false), the whole answer is read, following
   * @odata.nextLink under this Graph root, until the item turns up.
   */
  private async readMine(
    spec: OperationSpec,
    self: SelfReadSpec,
    target: Target,
    accessToken: string,
    within: Within,
  ): Promise<{ readonly found: StateRead | null } & Omit<Search, 'found'>> {
    const id = this.pathFor(`{${self.idName}}`, target);
    const search = await findById(this.endpoint, self.version, self.path, byIdQuery(self, id), id, (request, path) =>
      this.caller.call(spec, accessToken, { ...request, ...this.budgetUntil(within) }, path, undefined),
    );
    const found = search.found ? this.stateOf(spec, search.found.item, search.found.answer) : null;
    return { ...search, found };
  }

  private stateOf(spec: OperationSpec, raw: Record<string, unknown> | undefined, answer: GraphAnswer): StateRead {
    // An entry may read its fields off a view of the item (an approval as its reader's stage).
    const item = raw && spec.read.view ? { ...spec.read.view(raw) } : raw;
    const v = item?.[spec.read.stateField];
    // Shown in the answer's words ("The workflow run is …"): kept to a word's length.
    const state = typeof v === 'string' ? graphWord(v) : null;
    const graph = evidenceOf({ ...answer, bodyText: null });
    return item ? { state, item, graph } : { state, graph };
  }

  /**
   * The target with the id the user never types (an approval's stage), from a read just before
   * the write: refused without a Graph write when the read shows nothing to act on.
   */
  private async withIdFromRead(
    target: Target,
    token: AccessTokenSource,
    call: GraphCall,
  ): Promise<{ target: Target; graph: GraphEvidence }> {
    const spec = CATALOG[target.operation];
    const name = spec.idFromRead ?? '';
    // Its 5xx or lost answer is the write's answer too: nothing was sent (never read and re-sent
    // as a write whose answer was lost, nor worded "may or may not have taken effect").
    const read = await this.readState(target, token, call).catch((e: unknown) => {
      throw stageReadFailed(e, target);
    });
    const id = read.item?.[name];
    const finished = [...spec.doneStates, ...spec.decisions.flatMap((d) => d.provenBy)];
    const told = read.state ? spec.read.notForReader?.[read.state] : undefined;
    if (told !== undefined) {
      // Not (or not yet) this user's stage: nothing is sent, and the card says why (not a refusal by Graph).
      throw new NotForReaderError(told, read.state ?? '', read.graph);
    }
    if (!stateIn(read.state, spec.allowedStates) || !isGuid(id)) {
      // Finished: the governance service re-reads the item to say who decided, when Graph tells it.
      // Any other state (an approval closed without a decision) is said as it is.
      const other = read.state && !stateIn(read.state, finished) ? read.state : null;
      throw new InvalidStateError(`The ${spec.noun} is not waiting for your decision.`, other, read.graph);
    }
    // The same check as the read that names the stage (namedStage.ts): when that read showed no
    // stage of the sender's open (the next one still starting), this one may find it open.
    const since = approvedSinceTyped(target, read.item, call.sender);
    if (since?.at) throw new SentBeforeOwnStageError(since.at, read.graph);
    return { target: { ...target, ids: { ...target.ids, [name]: id } }, graph: read.graph };
  }

  /** When a read given `budgetMs` must end, on the caller's clock; none when it has its own 30 s. */
  private untilOf(budgetMs: number | undefined): number | undefined {
    return budgetMs === undefined ? undefined : this.caller.now() + budgetMs;
  }

  /** The budget of one call that must end by `until`, and its command's log: none left is a call
   * not made (a read not answered: the same error a call cut at its deadline gives). */
  private budgetUntil({ until, answers }: Within): { budgetMs?: number; answers?: LastAnswer } {
    const log = answers ? { answers } : {};
    if (until === undefined) return log;
    const left = until - this.caller.now();
    if (left <= 0) throw new UpstreamError('Microsoft Graph did not answer in time.', NO_GRAPH);
    return { budgetMs: left, ...log };
  }

  private pathFor(template: string, target: Target): string {
    const spec = CATALOG[target.operation];
    for (const name of spec.idNames) {
      if (!isGuid(target.ids[name])) throw new BadInputError(`${name} must be a GUID.`);
    }
    return fillPath(template, target.ids);
  }
}
