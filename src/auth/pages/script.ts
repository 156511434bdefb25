// The end page's script, served from the bot at END_SCRIPT_PATH (never inline, so the page's
// Content-Security-Policy can say script-src 'self'). It reads what to tell Teams from <body>'s
// data attributes and completes the sign-in window through @microsoft/teams-js:
// https://learn.microsoft.com/en-us/javascript/api/@microsoft/teams-js/authentication
// Outside Teams initialize() never settles or rejects, and the page text says what to do.

export const END_PAGE_SCRIPT = `(function () {
  'use strict';
  var body = document.body;
  var teams = window.microsoftTeams;
  if (!body || !teams || !teams.app || !teams.authentication) return;
  var outcome = body.getAttribute('data-outcome');
  // The person is offered another try in this window (the wrong account): Teams waits meanwhile.
  if (outcome === 'failure' && body.getAttribute('data-stay') === 'true') return;
  teams.app.initialize().then(
    function () {
      if (outcome === 'success') {
        teams.authentication.notifySuccess(body.getAttribute('data-state') || '');
      } else {
        teams.authentication.notifyFailure(body.getAttribute('data-reason') || 'failed');
      }
    },
    function () {}
  );
})();
`;
