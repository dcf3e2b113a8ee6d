/**
 * What `npm test` prints of a failed layer: every failed test of a node:test (TAP) log with its
 * diagnostics, named by its path of suites, so that a CI log that keeps only the console says
 * which test failed and why. A log with no TAP failure (cucumber, the mutation layer, tsc,
 * Biome) is told by its tail.
 */

/** At most this many lines of one failed test's diagnostics (a stack is long and says little). */
const LINES_PER_FAILURE = 40;
/** At most this many failed tests are printed; the rest are counted. */
const FAILURES_SHOWN = 8;

interface Failure {
  /** Suites and test, outermost first. */
  path: string[];
  /** The YAML block under `not ok`, as written. */
  diagnostics: string[];
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * The failed tests of a TAP log, innermost only: a suite that failed because a test in it failed
 * (failureType 'subtestsFailed') is not a failure of its own.
 */
export function tapFailures(log: string): Failure[] {
  const lines = log.split('\n');
  const failures: Failure[] = [];
  /** The open `# Subtest:` names by indent. */
  const open: { indent: number; name: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = indentOf(line);
    const subtest = /^\s*# Subtest: (.*)$/.exec(line);
    if (subtest) {
      while (open.length && open[open.length - 1]!.indent >= indent) open.pop();
      open.push({ indent, name: subtest[1]! });
      continue;
    }
    const notOk = /^\s*not ok \d+ - (.*?)(?: # .*)?$/.exec(line);
    if (!notOk) continue;
    const diagnostics: string[] = [];
    if (lines[i + 1]?.trim() === '---') {
      let j = i + 2;
      for (; j < lines.length; j++) {
        const l = lines[j]!;
        if (l.trim() === '...' && indentOf(l) <= indent + 2) break;
        // node's own frames say nothing about the test
        if (!/\(node:[^)]*\)$|^\s+(?:async )?node:/.test(l)) diagnostics.push(l.slice(Math.min(indentOf(l), indent + 2)));
      }
      i = j;
    }
    while (open.length && open[open.length - 1]!.indent > indent) open.pop();
    const path = open.map((o) => o.name);
    if (path[path.length - 1] !== notOk[1]) path.push(notOk[1]!);
    if (open.length && open[open.length - 1]!.indent === indent) open.pop();
    if (diagnostics.some((d) => /^failureType: '?subtestsFailed/.test(d))) continue;
    failures.push({ path, diagnostics });
  }
  return failures;
}

/** The part of a failed layer's log worth printing: its failed tests, else its last lines. */
export function failureExcerpt(log: string, tailLines = 40): string {
  const failures = tapFailures(log);
  if (!failures.length) return log.trimEnd().split('\n').slice(-tailLines).join('\n');
  const shown = failures.slice(0, FAILURES_SHOWN).map((f) => {
    const d = f.diagnostics;
    const cut = d.length > LINES_PER_FAILURE ? [...d.slice(0, LINES_PER_FAILURE), `  … ${d.length - LINES_PER_FAILURE} more line(s)`] : d;
    return [`✗ ${f.path.join(' › ')}`, ...cut.map((l) => `    ${l}`)].join('\n');
  });
  const more = failures.length > FAILURES_SHOWN ? [`… and ${failures.length - FAILURES_SHOWN} more failed test(s)`] : [];
  return [`${failures.length} failed test(s):`, ...shown, ...more].join('\n');
}
