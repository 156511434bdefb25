// The shape of one operation catalog entry. The entries themselves are in ../operations.ts; the
// grammar, help, buttons, gateway, governance service, permission table, manifest commands and
// notification kinds all read these fields, so none of them names an operation.

import type { TargetOf } from './target';
export type { TargetOf };

export const CLOUDS = ['global', 'usgov', 'usgovdod', 'china'] as const;
export type Cloud = (typeof CLOUDS)[number];

/** Every decision any operation offers: resume completed|failed, approvals approve|deny. */
export const DECISION_NAMES = ['completed', 'failed', 'approve', 'deny'] as const;
export type DecisionName = (typeof DECISION_NAMES)[number];

export type GraphVersion = 'v1.0' | 'beta';
export type HttpMethod = 'POST' | 'PATCH' | 'GET';

/** A chat command: its keywords and the sentence the help card and the manifest show. */
export interface CommandWords {
  /** Keywords, lower case, e.g. ['cancel', 'run']. */
  readonly words: readonly string[];
  readonly description: string;
  /** Keys of the seed's `examples` this command's help example takes instead of the entry's
   * demoExample: each example acts on its own item, so each works when tried in turn. */
  readonly demoExample?: Readonly<Record<string, string>>;
}

/** What a decision's justification must be: `required` everywhere, or only `requiredOnCard`
 * (a card's button asks for it in a text box and is refused without it, while the typed command
 * leaves it optional, as the contract says); never longer than `maxLength` characters. */
export interface JustificationRule {
  readonly required: boolean;
  readonly requiredOnCard?: true;
  readonly maxLength: number;
}

/**
 * One way an operation can end, chosen by the user. A cancel has exactly one, with `name` null.
 * An operation with a choice (resume completed|failed; later approve|deny) has one per choice.
 */
export interface DecisionSpec {
  readonly name: DecisionName | null;
  /** A command that implies this decision ("approve task"); its ids are the entry's idNames. */
  readonly command?: CommandWords;
  /** The title of the card button that asks for it. */
  readonly button: string;
  /** The past tense shown on the settled card: "Cancelled", "Approved", "Rejected". */
  readonly doneWord: string;
  /** States of the item that prove this decision took effect (compared case-insensitively). */
  readonly provenBy: readonly string[];
  /** The decision takes a justification (typed after the ids, or asked for in the card). */
  readonly justification?: JustificationRule;
  /**
   * The decision may leave the item waiting for someone else (an approved stage with a stage after
   * it): it does when the read's `openWhile` field says so, and a card then keeps its buttons for
   * them instead of showing a final word.
   */
  readonly mayLeaveOpen?: true;
}

/** The GET that tells the item's current state: the admin read, get by id. */
export interface StateReadSpec {
  readonly version: GraphVersion;
  /** Path template under /{version}; {name} placeholders are filled with the ids. */
  readonly path: string;
  readonly stateField: string;
  /** The least-privileged delegated permission of this read. */
  readonly permission: string;
  /** Further delegated permissions that also allow this read (a token holding one may use it). */
  readonly higher?: readonly string[];
  /** The Entra role(s) a delegated caller needs for this read, in words. */
  readonly role?: string;
  /**
   * Who may make this read with its permission and no Entra role at all, in words, when the docs
   * let some people in that way (a PIM for Groups request: the group's owners and members).
   */
  readonly withoutRole?: string;
  /** Navigation properties to ask for with $expand: only those the cards use. */
  readonly expand?: readonly string[];
  /**
   * Send `Prefer: include-unknown-enum-members`: the state is an evolvable enum whose newer members
   * (a run's `canceling`) Graph otherwise hides as `unknownFutureValue`.
   */
  readonly includeUnknownEnumMembers?: boolean;
  /** Field of the item saying when it reached its final state, when Graph reports one. */
  readonly decidedAtField?: string;
  /** Dotted path to who decided it (an identity or identity set), when Graph reports one. */
  readonly decidedByField?: string;
  /**
   * Turns Graph's item into the fields above when they are not plain properties (an approval's
   * state is its reader's stage). The gateway applies it to every read of this entry.
   */
  readonly view?: (item: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>;
  /**
   * A field of the (viewed) item that scopes the card claim: two clicks share a claim only when
   * they would act on the same thing (one approval stage; the next stage is a new decision).
   */
  readonly claimScopeField?: string;
  /**
   * A field of the (viewed) item listing, in order, the stages decided before the one the reader
   * may decide now: `{stageId, byId, at}` each. A card click that did not see the reader's own
   * decision of one of them (Target.afterStage) was pressed on a card showing that earlier stage.
   */
  readonly decidedBeforeField?: string;
  /** The same list for stages approved before the reader's decided one (set once their latest
   * stage is decided): who decided the stage a lost write was for, when the read shows a later one. */
  readonly approvedBeforeField?: string;
  /**
   * States of the (viewed) item that mean it is not the reader's to decide now, with what to tell
   * them (an approval stage assigned to others, or theirs not started): the clicker is told and the
   * card keeps its buttons for the others.
   */
  readonly notForReader?: Readonly<Record<string, string>>;
  /**
   * A boolean field of the (viewed) item: true while it waits, or will wait, for someone after the
   * reader's own part (a later approval stage). Before a decision that mayLeaveOpen, it says the
   * decision leaves the item open; after the reader's part, a finished state they see is theirs
   * alone: shown to them, never a card's final word for everyone.
   */
  readonly openWhile?: string;
}

/**
 * The read of one's own item: `GET {path}?$filter=id eq '{id}'` on a filterByCurrentUser function
 * (or the whole function, page by page, where id cannot be filtered on),
 * whose `value` holds the item when it is the caller's (and nothing otherwise). The item has the
 * admin read's shape: stateField, decidedAtField and decidedByField are the admin read's.
 */
export interface SelfReadSpec {
  readonly version: GraphVersion;
  /** The collection function, e.g. `/roleManagement/.../filterByCurrentUser(on='principal')`. */
  readonly path: string;
  /** The function's `on` value; the path names it too. */
  readonly on: 'principal' | 'target';
  /** The catalog id name whose value goes into `$filter=id eq '…'`. */
  readonly idName: string;
  /**
   * False when the type's page does not list `id` as filterable (Graph refuses the clause with 400
   * InvalidFilter): the function's whole answer is read, page by page, and the item found by id.
   */
  readonly idFilter?: false;
  readonly permission: string;
  readonly higher?: readonly string[];
  /** The Entra roles Graph asks of the signed-in user for this read, when its page names any (in
   * words: "Global Reader, … or Privileged Role Administrator"). */
  readonly role?: string;
  /** Navigation properties to ask for with $expand: only those the cards use. */
  readonly expand?: readonly string[];
}

/**
 * Acting on one's own item (a requester cancelling their own request), as the API page allows
 * besides the admin way in (the entry's `permission` and `role`).
 */
export interface SelfServiceSpec {
  /** The item as its owner calls it in sentences ("your own request"). */
  readonly own: string;
  /** Someone else's item in sentences ("someone else's request"). */
  readonly others: string;
  readonly permission: { readonly least: string; readonly higher: readonly string[] };
  /** The role the owner needs, in words; null when the docs ask for none. */
  readonly role: string | null;
  readonly read: SelfReadSpec;
}

/**
 * The request as the approver's own filter returns it, read just before a decision is written
 * (the read "my approvals" makes, which needs no admin read): `GET {path}?$filter=id eq '{id}'`,
 * or the whole function page by page where id cannot be filtered on. A read refused or finding
 * nothing tells nothing: the write goes and Graph's answer stands.
 */
export interface DecisionReadSpec {
  readonly version: GraphVersion;
  /** The approver's filter over the requests, e.g. `…/filterByCurrentUser(on='approver')`. */
  readonly path: string;
  /** The catalog id name of the request's id. */
  readonly idName: string;
  /**
   * False when the type's page does not list `id` as filterable (Graph refuses the clause with 400
   * InvalidFilter): the function's whole answer is read, page by page, and the request found by id.
   */
  readonly idFilter?: false;
  /** Navigation properties to ask for with $expand: those the requester fields name, and those
   * naming what the request asks and who asked (the answer's facts). */
  readonly expand?: readonly string[];
  /**
   * The request's fields (dotted paths) naming who asked, where Microsoft's docs say an approver
   * cannot decide their own request: a match with the signed-in user refuses the decision unsent.
   */
  readonly requesterFields?: readonly string[];
}

/**
 * Requests Graph cannot decide, told by a field of the request itself (its approval does not carry
 * it): read just before the write (DecisionReadSpec), and refused without the write when the
 * field holds one of `values`.
 */
export interface UndecidableSpec extends DecisionReadSpec {
  /** The request's field that tells (compared case-insensitively). */
  readonly field: string;
  readonly values: readonly string[];
  /**
   * The same approver filter over the eligibility schedule requests, read when the first finds
   * nothing and the token holds its permission: an extension or renewal of an eligible assignment
   * is an eligibility schedule request, with an `approvalId` and the same `action` values.
   */
  readonly eligibility?: {
    readonly path: string;
    readonly permission: string;
    readonly higher: readonly string[];
    /** False when the eligibility request type's page does not list `id` as filterable: read page by page. */
    readonly idFilter?: false;
  };
  /** What such a request is for, in words ("a role assignment"), and its short name ("role"). */
  readonly assignment: string;
  readonly short: string;
  /** Where an approver decides it instead, in the Microsoft Entra admin center. */
  readonly decideAt: string;
}

export interface CatalogEntry<Name extends string> {
  readonly name: Name;
  /** The seed page the facts come from. */
  readonly seed: string;
  /** Short human name, used in cards and the README. */
  readonly title: string;
  /** What the item is called in sentences ("workflow run"). */
  readonly noun: string;
  /** Names of the ids, in command order; the last one is the audit targetId. */
  readonly idNames: readonly string[];
  readonly version: GraphVersion;
  readonly method: HttpMethod;
  /** Path template under /{version}; {name} placeholders are filled with the ids. */
  readonly path: string;
  readonly body: (target: TargetOf<string>) => unknown;
  /** The documented success status; the gateway treats any 2xx as success. */
  readonly successStatus: number;
  /** The write's delegated permission for acting on anyone's item (the admin way in). */
  readonly permission: { readonly least: string; readonly higher: readonly string[] };
  /** The least-privileged Entra role(s) a delegated caller needs on anyone's item, in words. */
  readonly role: string;
  /**
   * Where the role holds, when it is not tenant-wide: one sentence the refusal adds, so that a user
   * who holds the role on another scope (an entitlement management catalog) learns why it did not count.
   */
  readonly roleScope?: string;
  /** Acting on one's own item, when the API allows it without the admin role. */
  readonly selfService?: SelfServiceSpec;
  readonly clouds: readonly Cloud[];
  readonly read: StateReadSpec;
  /** States from which the write is allowed (compared case-insensitively). */
  readonly allowedStates: readonly string[];
  /** States meaning the item is finished this operation's way, by anyone (case-insensitive). */
  readonly doneStates: readonly string[];
  /**
   * The command that names the operation. When the entry has named decisions it takes the
   * decision's name as its last value ("resume task … completed|failed"). Absent when only the
   * decisions' own commands exist.
   */
  readonly command?: CommandWords;
  readonly decisions: readonly DecisionSpec[];
  /** The notification event kind whose card acts on this operation, if any. */
  readonly notificationKind: string | null;
  /**
   * An id of the write's path that the user never types: taken from the state read's (viewed)
   * item just before the write (an approval's stage), refused when the read finds none.
   */
  readonly idFromRead?: string;
  /** Requests of this kind that Microsoft Graph cannot decide, told by a field of the request. */
  readonly undecidable?: UndecidableSpec;
  /**
   * Where nothing makes a request of this kind undecidable but its requester may not decide it:
   * the read before the decision that tells who asked (an entry has this or `undecidable`).
   */
  readonly requesterRead?: DecisionReadSpec;
  /**
   * The operation by which a requester withdraws the request this entry decides (its cancel): the
   * refusal of a decision on one's own request names that operation's command.
   */
  readonly withdrawnBy?: string;
  /** For each id, the key of the sandbox seed's `examples` that holds a demo id for it. */
  readonly demoExample: Readonly<Record<string, string>>;
}
