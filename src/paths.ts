import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | null = null;

/** The directory holding package.json; the same from src/ (ts) and dist/src/ (js). */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  root = dir;
  return dir;
}
