#!/usr/bin/env node
// `npm run package [-- --env dev]`: the Teams app package. Fills every ${{VAR}} of
// manifest/manifest.json from env/.env.<env> (then env/.env.<env>.user), validates the result
// offline against the manifest schema bundled in @microsoft/app-manifest, and zips it with both
// icons into appPackage/build/appPackage.<env>.zip (the path the Microsoft 365 Agents Toolkit
// uses). Package layout: https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package
// (manifest.json plus a 192x192 color icon and a 32x32 outline icon, at the root of the zip).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { zip } = require('./zip');
const { parseEnv, readEnvironment, parseArgs, root } = require('./env-file');

const manifestDir = path.join(root, 'manifest');
const ICONS = { color: 192, outline: 32 };

/** The values env/.env.dev.example gives: stand-ins (all-zero ids, hosts under the reserved
 * example names), never a real app's. */
function exampleValues() {
  const file = path.join(root, 'env', '.env.dev.example');
  return fs.existsSync(file) ? parseEnv(fs.readFileSync(file, 'utf8')) : {};
}

/** Replaces every ${{NAME}}; unknown, empty or still-example values are collected, never guessed. */
function fillPlaceholders(text, vars, examplesOf = exampleValues()) {
  const missing = new Set();
  const examples = new Set();
  // A placeholder that is a whole value (an id, a URL) cannot be empty; one inside a longer string
  // (APP_NAME_SUFFIX in the name) can.
  const empty = new Set(
    [...text.matchAll(/"\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}"/g)]
      .map((m) => m[1])
      .filter((name) => vars[name] === ''),
  );
  const filled = text.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name) => {
    const value = vars[name];
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    if (/^<.*>$/.test(value) || (value !== '' && value === examplesOf[name])) examples.add(name);
    // Values land inside JSON strings: escape them as JSON does.
    return JSON.stringify(value).slice(1, -1);
  });
  return { filled, missing: [...missing].sort(), empty: [...empty].sort(), examples: [...examples].sort() };
}

// A domain of validDomains: a host name, with leading *. wildcards and a port allowed, never a
// scheme or a path ("contoso.com", "*.example.com":
// https://learn.microsoft.com/microsoftteams/platform/resources/schema/manifest-schema#validdomains).
// The schema takes any string there, and any http:// link for developer.*Url, where the same page
// asks for "the https:// URL".
const DOMAIN = /^(?:\*\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/i;
const DEVELOPER_LINKS = ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'];

/** What the schema lets through but Teams needs: bare domains, https links. Each problem names
 * the variable the value came from (or the manifest field when it is written there). */
function shapeProblems(template, manifest) {
  const source = (written, field) => /^\$\{\{\s*(\w+)\s*\}\}$/.exec(written ?? '')?.[1] ?? field;
  const problems = [];
  (manifest.validDomains ?? []).forEach((domain, i) => {
    if (typeof domain === 'string' && !DOMAIN.test(domain)) {
      const name = source(template.validDomains?.[i], `validDomains[${i}]`);
      problems.push(`${name} must be a host name, without https:// or a path (found ${JSON.stringify(domain)})`);
    }
  });
  for (const field of DEVELOPER_LINKS) {
    const link = manifest.developer?.[field];
    if (typeof link === 'string' && !/^https:\/\/[^/\s]+/i.test(link)) {
      problems.push(`${source(template.developer?.[field], `developer.${field}`)} must be an https:// link`);
    }
  }
  return problems;
}

function pngSize(buffer) {
  if (buffer.subarray(1, 4).toString('ascii') !== 'PNG') return null;
  return [buffer.readUInt32BE(16), buffer.readUInt32BE(20)];
}

/** The manifest schema check, with the network closed so it can only use the bundled schema. */
async function validateOffline(manifest) {
  const { AppManifestUtils } = require('@microsoft/app-manifest');
  const realFetch = globalThis.fetch;
  globalThis.fetch = () => Promise.reject(new Error('offline: the bundled schema is used'));
  try {
    return await AppManifestUtils.validateAgainstSchema(manifest);
  } finally {
    globalThis.fetch = realFetch;
  }
}

async function buildPackage({ env = 'dev', envFile, out } = {}) {
  const { vars, files } = readEnvironment({ env, envFile });
  const template = fs.readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8');
  const { filled, missing, empty, examples } = fillPlaceholders(template, vars);
  const problems = [];
  if (missing.length > 0) {
    problems.push(
      `not set in ${files.join(' or ')}: ${missing.join(', ')} (README, "Deploy to Azure", says where each comes from)`,
    );
  }
  if (empty.length > 0) problems.push(`empty in ${files.join(' or ')}: ${empty.join(', ')}`);
  if (examples.length > 0) {
    problems.push(`still the example placeholder: ${examples.join(', ')} (put in your own app's values)`);
  }
  if (problems.length > 0) throw new Error(`The manifest cannot be filled; ${problems.join('; ')}.`);

  const manifest = JSON.parse(filled);
  const shapes = shapeProblems(JSON.parse(template), manifest);
  if (shapes.length > 0) throw new Error(`The manifest cannot be filled; ${shapes.join('; ')}.`);
  const errors = await validateOffline(manifest);
  if (errors.length > 0) {
    throw new Error(`The filled manifest does not match its schema:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  }

  const entries = [{ name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n') }];
  for (const [kind, size] of Object.entries(ICONS)) {
    const name = manifest.icons?.[kind];
    if (typeof name !== 'string' || !/^[\w.-]+\.png$/.test(name)) {
      throw new Error(`icons.${kind} must name a PNG file next to the manifest.`);
    }
    const data = fs.readFileSync(path.join(manifestDir, name));
    const dims = pngSize(data);
    if (!dims || dims[0] !== size || dims[1] !== size) {
      throw new Error(`${name} must be a ${size}x${size} PNG (found ${dims ? dims.join('x') : 'not a PNG'}).`);
    }
    entries.push({ name, data });
  }

  const target = path.resolve(out ?? path.join(root, 'appPackage', 'build', `appPackage.${env}.zip`));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, zip(entries));
  return { target, manifest };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  try {
    const { target } = await buildPackage(opts);
    const shown = path.relative(process.cwd(), target);
    console.log(`Wrote ${shown.startsWith('..') ? target : shown}`);
    console.log('Upload it in the Teams admin center (Teams apps > Manage apps > Upload new app).');
  } catch (e) {
    console.error(`npm run package: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();

module.exports = { buildPackage, fillPlaceholders };
