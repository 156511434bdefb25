#!/usr/bin/env node
// `npm start`: build when the output is missing or older than any source (on App Service: only
// when missing), then run the server.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'src', 'index.js');

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|json)$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function stale() {
  if (!fs.existsSync(entry)) return true;
  // On App Service the deployment built dist/ (SCM_DO_BUILD_DURING_DEPLOYMENT), and Oryx's copy to
  // wwwroot keeps no file times (rsync by checksum), so the sources always look newer: a build here
  // would run at every start, on every instance, into the dist/ they share. App Service sets both
  // (https://learn.microsoft.com/azure/app-service/reference-app-settings#app-environment);
  // WEBSITE_HOSTNAME alone may be a developer's own, naming the sign-in pages' origin (README).
  if (process.env.WEBSITE_HOSTNAME && process.env.WEBSITE_SITE_NAME) return false;
  const built = fs.statSync(entry).mtimeMs;
  const sources = Math.max(
    newestMtime(path.join(root, 'src')),
    fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs,
    fs.statSync(path.join(root, 'tsconfig.build.json')).mtimeMs,
  );
  return sources > built;
}

if (stale()) {
  console.log('Building Governance Bot…');
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // tsc leaves an unchanged file's timestamp alone; mark the build as fresh.
  const now = new Date();
  fs.utimesSync(entry, now, now);
}

// restify 11 touches a deprecated Node binding at load; the warning is noise for operators.
process.noDeprecation = true;
require(entry);
