// Figures and how they are printed: percentiles, resident memory, the machine, and tables that put
// Governance Bot beside the echo baseline with the ratio and, where issue 6.6 sets one, the target.

import * as fs from 'node:fs';

export function pct(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  return pct(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Resident memory of a process now, from /proc (Linux). */
export function rssMiB(pid: number | undefined): number {
  return statusMiB(pid, 'VmRSS');
}

/** The most resident memory a process has had since it started (its high-water mark): less
 * subject than the figure of the moment to when the last garbage collection happened to run. */
export function peakRssMiB(pid: number | undefined): number {
  return statusMiB(pid, 'VmHWM');
}

function statusMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (!pid) return NaN;
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export function machine(): string {
  const cpus = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0;
  return `Node ${process.version}, ${cpus} cores`;
}

export const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

/** A target on the ratio Governance Bot / echo: at least or at most a bound. */
export interface Target {
  readonly op: '>=' | '<=';
  readonly bound: number;
}

/** Issue 6.6: against the bare echo bot in the same run. */
export const TARGETS = {
  throughput: { op: '>=', bound: 0.9 },
  p99: { op: '<=', bound: 1.3 },
  median: { op: '<=', bound: 1.2 },
  rss: { op: '<=', bound: 1.25 },
} as const satisfies Record<string, Target>;

export function meets(ratio: number, t: Target): boolean {
  return t.op === '>=' ? ratio >= t.bound : ratio <= t.bound;
}

/** One figure for both servers, their ratio, and the target with whether it is met. */
export function ratioRow(label: string, gov: number, echo: number, target?: Target): string[] {
  const ratio = gov / echo;
  const aim = target ? `${target.op} ${target.bound}x` : '';
  const met = target ? (meets(ratio, target) ? 'yes' : 'NO') : '';
  return [label, f2(gov), f2(echo), f2(ratio), aim, met];
}

export const RATIO_HEADER = ['figure', 'Governance Bot', 'echo baseline', 'ratio', 'target', 'met'];

export function printTable(title: string, rows: readonly (readonly string[])[]): void {
  if (title) console.log(`\n${title}`);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

/** A small seeded generator, so fault runs are the same from one bench run to the next. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `work` over `items` with at most `concurrency` at a time. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
