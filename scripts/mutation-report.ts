/**
 * What `npm run mutation` (scripts/mutation.ts) prints and keeps: two tables (the reference
 * variants; the independent implementation), the score, and reports/mutation/mutation.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from './mutation-verdicts';

const REFERENCE_KINDS = new Set(['reference', 'baseline', 'mutant', 'freedom', 'erratum']);
const isFaultRow = (r: Row) => r.kind === 'mutant' || r.kind === 'ind-fault';

function printTable(rows: Row[]): void {
  const w = (k: keyof Row) => Math.max(k.length, ...rows.map((r) => String(r[k]).length));
  const wk = w('kind');
  const wn = w('name');
  const wp = w('policy');
  const wv = w('verdict');
  const line = (r: Pick<Row, 'kind' | 'name' | 'policy' | 'verdict' | 'detail'>) =>
    `${r.kind.padEnd(wk)}  ${r.name.padEnd(wn)}  ${r.policy.padEnd(wp)}  ${r.verdict.padEnd(wv)}  ${r.detail}`;
  console.log(line({ kind: 'kind', name: 'name', policy: 'policy', verdict: 'verdict', detail: 'detail' }));
  console.log('-'.repeat(Math.min(160, wk + wn + wp + wv + 40)));
  for (const r of rows) console.log(line(r));
}

/** The two tables, each with its count of faults caught and legal behaviours passed. */
export function printTables(rows: Row[]): void {
  const tables: Array<[string, Row[]]> = [
    [
      'The reference server: mutants, the written freedoms, the errata in both readings',
      rows.filter((r) => REFERENCE_KINDS.has(r.kind) || r.kind === 'not mutable' || r.kind === 'plan'),
    ],
    [
      'The independent implementation (test/independent/, written from docs/ and the CR alone)',
      rows.filter((r) => r.kind.startsWith('ind')),
    ],
  ];
  for (const [title, list] of tables) {
    if (!list.length) continue;
    console.log(`\n## ${title}\n`);
    printTable(list);
    const faults = list.filter(isFaultRow);
    const legal = list.filter((r) => !['mutant', 'ind-fault', 'not mutable', 'ind-out-of-scope', 'plan', 'baseline'].includes(r.kind));
    console.log(
      `\n${faults.filter((r) => r.ok).length}/${faults.length} faults caught; ${legal.filter((r) => r.ok).length}/${legal.length} legal behaviours passed (${legal.filter((r) => !r.ok).length} false failures or errors)`,
    );
  }
}

export interface Score {
  score: number;
  caught: number;
  faults: number;
  falseFailures: number;
  errors: number;
}

export function scoreOf(rows: Row[]): Score {
  const faults = rows.filter(isFaultRow);
  const caught = faults.filter((r) => r.ok).length;
  const falseFailures = rows.filter(
    (r) => ['reference', 'freedom', 'erratum', 'independent', 'ind-freedom'].includes(r.kind) && !r.ok,
  ).length;
  const errors = rows.filter((r) => r.verdict === 'ERROR').length;
  return { score: faults.length ? (100 * caught) / faults.length : 100, caught, faults: faults.length, falseFailures, errors };
}

/** reports/mutation/mutation.json under `root`: the score and every row, for tools. */
export function writeReport(root: string, s: Score, seconds: number, rows: Row[]): void {
  mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
  writeFileSync(
    join(root, 'reports', 'mutation', 'mutation.json'),
    JSON.stringify({ score: s.score, caught: s.caught, faults: s.faults, seconds, rows }, null, 2),
  );
}
