// botframework-connector's test of whether a token comes from the Bot Framework Emulator
// (EmulatorValidation.isTokenFromEmulator) decodes the token without verifying anything and, when
// no issuer of its process-wide list contains the token's `tid`, appends four issuers built from
// that tid, so that a single-tenant bot can be tested with the Emulator. Any unsigned token sent
// to /api/messages naming a new tid made the list longer for good: memory without bound, and a
// longer scan of the list for every later activity. The verification that follows copies the
// list in the same synchronous step as the append, so the list is taken back to what it held at
// start around every authentication: the token being verified is judged exactly as before.
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#emulator-to-bot

import { ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';

/** The list as this module found it: the library's own issuers, before any token was seen. */
export const ORIGINAL_EMULATOR_ISSUERS: readonly string[] = Object.freeze(
  Array.isArray(ToBotFromBotOrEmulatorTokenValidationParameters.issuer)
    ? ToBotFromBotOrEmulatorTokenValidationParameters.issuer.filter((i): i is string => typeof i === 'string')
    : [],
);

/** How long the list was then. */
const ORIGINAL_LENGTH = Array.isArray(ToBotFromBotOrEmulatorTokenValidationParameters.issuer)
  ? ToBotFromBotOrEmulatorTokenValidationParameters.issuer.length
  : null;

/** Drops every issuer appended to the library's Emulator list since start (it only appends). */
function forgetAddedIssuers(): void {
  const list: unknown = ToBotFromBotOrEmulatorTokenValidationParameters.issuer;
  if (ORIGINAL_LENGTH !== null && Array.isArray(list) && list.length > ORIGINAL_LENGTH) list.length = ORIGINAL_LENGTH;
}

/** Runs one authentication of botframework-connector; whatever it appends is dropped when it
 * settles (and before it starts, for one abandoned at a deadline meanwhile). */
export async function withoutAddedIssuers<T>(authenticate: () => Promise<T>): Promise<T> {
  forgetAddedIssuers();
  try {
    return await authenticate();
  } finally {
    forgetAddedIssuers();
  }
}
