'use strict';
// Reads the Microsoft 365 Agents Toolkit environment files: env/.env.<name> (committed, no
// secrets) and then env/.env.<name>.user (secrets, ignored by git), the later one winning, as the
// Toolkit does (https://learn.microsoft.com/microsoftteams/platform/toolkit/teamsfx-multi-env);
// either may be missing, not both.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** KEY=VALUE lines; # comments and blank lines skipped; one pair of surrounding quotes removed. */
function parseEnv(text) {
  const out = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]] = value;
  }
  return out;
}

/**
 * The variables of one environment. `envFile` (a path) replaces the env/ lookup, for tests and CI.
 * Throws with a sentence an operator can act on when the environment file is missing.
 */
function readEnvironment({ env = 'dev', envFile } = {}) {
  if (!/^[\w-]+$/.test(env)) throw new Error(`The environment name "${env}" may hold letters, digits, _ and - only.`);
  const files = envFile
    ? [path.resolve(envFile)]
    : [path.join(root, 'env', `.env.${env}`), path.join(root, 'env', `.env.${env}.user`)];
  // An environment of one's own may have only its .user file (env/.env.dev.example says to copy it
  // to env/.env.run.user): read from that alone.
  if (!files.some((file) => fs.existsSync(file))) {
    throw new Error(
      `${path.relative(root, files[0])} does not exist. Copy env/.env.dev to it, then run the Agents Toolkit ` +
        'provision step for that environment (or follow README, "Deploy to Azure"); for a bot you run yourself, ' +
        `copy env/.env.dev.example to ${path.relative(root, files[0])}.user instead.`,
    );
  }
  const vars = {};
  for (const file of files) if (fs.existsSync(file)) Object.assign(vars, parseEnv(fs.readFileSync(file, 'utf8')));
  return { vars, files: files.filter((f) => fs.existsSync(f)).map((f) => path.relative(root, f)) };
}

/** Options of the form --name value (or --name=value) and one optional positional environment name. */
function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      opts.env = arg;
      continue;
    }
    const value = m[2] ?? (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[++i] : 'true');
    opts[m[1].replace(/-(\w)/g, (_x, c) => c.toUpperCase())] = value;
  }
  return opts;
}

module.exports = { parseEnv, readEnvironment, parseArgs, root };
