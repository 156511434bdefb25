// Graph's own words as the bot keeps them. What an answer names (its request-id, its error code,
// its Date and x-ms-ags-diagnostic headers, an item's state) goes on to the audit line, the log and
// the cards and alerts that quote it, and nothing bounds what an answer holds: each is read once,
// where it comes in, cut to a length its documented shape fits with room to spare (by graphemes
// and UTF-16 units, clippedText.ts, marked "…" when cut) and without control characters, which
// none of those shapes has. Whatever reads it later takes it as it is.

import { withoutAnyControl } from '../domain/characters';
import { clipped } from '../domain/clippedText';

/** The most characters kept of a word Graph names: a request-id or client-request-id (a GUID of
 * 36, https://learn.microsoft.com/graph/errors), an error code (`code` is a string such as
 * Authorization_RequestDenied, 27, or RoleAssignmentRequestPolicyValidationFailed, 43:
 * graph-reference §10), a state (WaitingForAnEarlierStage, 24). */
export const GRAPH_WORD_MOST = 64;

/** The most characters kept of the Date header: an HTTP-date, 29 characters in the form a sender
 * must use ("Sun, 06 Nov 1994 08:49:37 GMT"), 33 at most in the obsolete RFC 850 form a recipient
 * still reads ("Wednesday, 09-Nov-94 08:49:37 GMT"), https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7. */
export const GRAPH_DATE_MOST = 40;

/** The most characters kept of x-ms-ags-diagnostic: a small JSON object naming where the request
 * was served, {"ServerInfo":{"DataCenter","Slice","Ring","ScaleUnit","RoleInstance"}}, about 120
 * characters; logged for support as Graph's best practices ask
 * (https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support). */
export const GRAPH_DIAGNOSTIC_MOST = 256;

/** `text`, as Graph gave it, without control characters (characters.ts isControl: none is part of
 * a word Graph names) and cut to `max` characters. */
export function graphText(text: string, max: number): string {
  return clipped(withoutAnyControl(text), max);
}

/** `text`, a word Graph names, as the bot keeps it: at most GRAPH_WORD_MOST characters. */
export const graphWord = (text: string): string => graphText(text, GRAPH_WORD_MOST);

/** What one Graph answer names for support, read from it once. */
export interface AnswerMarks {
  /** The `request-id` header, else the body's `innerError.request-id` (`bodyRequestId`). */
  readonly requestId: string | null;
  readonly date: string | null;
  readonly diagnostic: string | null;
}

/** The marks of an answer with `headers`; `bodyRequestId` is its body's request-id as its reader
 * kept it (graphErrors.ts), taken when the header names none. */
export function answerMarks(
  headers: { get(name: string): string | null },
  bodyRequestId: string | null = null,
): AnswerMarks {
  const requestId = headers.get('request-id');
  const date = headers.get('date');
  const diagnostic = headers.get('x-ms-ags-diagnostic');
  return {
    requestId: requestId === null ? bodyRequestId : graphWord(requestId),
    date: date === null ? null : graphText(date, GRAPH_DATE_MOST),
    diagnostic: diagnostic === null ? null : graphText(diagnostic, GRAPH_DIAGNOSTIC_MOST),
  };
}
