#!/usr/bin/env node
// Regenerates what is derived from the operation catalog outside the code: the README's command
// and permission tables (between their markers) and the Teams manifest's command lists. Run after
// `npm run build`; test/unit/readme.test.ts and manifest.test.ts fail while a copy is stale.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist', 'src');
const { commandTableMarkdown, manifestCommandLists } = require(path.join(dist, 'bot', 'commandDocs.js'));
const { permissionTableMarkdown } = require(path.join(dist, 'domain', 'permissionTable.js'));

function replaceBetween(text, name, body) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README lacks the ${name} markers`);
  return `${text.slice(0, a + start.length)}\n${body}\n${text.slice(b)}`;
}

const readmePath = path.join(root, 'README.md');
let readme = fs.readFileSync(readmePath, 'utf8');
readme = replaceBetween(readme, 'commands', commandTableMarkdown());
readme = replaceBetween(readme, 'permissions', permissionTableMarkdown());
fs.writeFileSync(readmePath, readme);

async function writeManifest() {
  const prettier = require('prettier');
  const manifestPath = path.join(root, 'manifest', 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  for (const bot of manifest.bots) bot.commandLists = manifestCommandLists();
  const options = (await prettier.resolveConfig(manifestPath)) ?? {};
  fs.writeFileSync(manifestPath, await prettier.format(JSON.stringify(manifest), { ...options, parser: 'json' }));
}

writeManifest().then(
  () => console.log('README tables and manifest commands regenerated from the catalog.'),
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
