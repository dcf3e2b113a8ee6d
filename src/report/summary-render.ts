/**
 * The certificate for people and for CI: summary.md (verdict first, then the totals, every
 * requirement, the known deviations, every scenario, the declarations and how to reproduce the
 * run) and, written beside it, summary.json and requirements.junit.xml.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_WORDS } from '../requirements/force';
import { renderRequirementsJunit } from './requirements-junit';
import type { Summary } from './summary';
import { renderTimeSpent } from './time-spent';
import type { Verdict } from './verdict';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const VERDICT_WORD: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE', error: 'ERROR' };

export function headline(s: Summary): string {
  const w = s.withWarnings ? ' with warnings' : '';
  if (s.verdict === 'pass') return s.certified ? `PASS${w} — certification pass${w}` : `PASS${w} (partial run — not a certification pass)`;
  return `${VERDICT_WORD[s.verdict]}${s.partial ? ' (partial run)' : ''}`;
}

export function renderSummaryMarkdown(s: Summary): string {
  const L: string[] = [];
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  L.push(`# DPE conformance run${s.runId ? ` ${s.runId}` : ''}: ${headline(s)}`, '');
  L.push('| | |', '|---|---|');
  L.push(`| Implementation | ${cell(`${s.implementation.name} ${s.implementation.version}`)} |`);
  L.push(`| Target | ${cell(s.target)} |`);
  if (s.referenceVariant)
    L.push(
      `| Reference variant | \`${cell(s.referenceVariant)}\` (DPE_VARIANT: a variant of the built-in reference server, src/server/variants/) |`,
    );
  if (s.targetLog) L.push(`| Target log | [${cell(s.targetLog)}](${s.targetLog}) |`);
  L.push(`| ICS | ${cell(s.ics.file ?? '(built-in reference ICS)')} |`);
  L.push(`| IXIT | ${cell(s.ixit.file ?? '(built-in defaults)')} |`);
  L.push(`| Suite | ${cell(`${s.suite.name} ${s.suite.version}`)}, ${s.suite.featureFiles} feature files, \`${s.suite.featuresDigest}\` |`);
  if (s.harness)
    L.push(
      `| Harness | ${cell(`${s.suite.name} ${s.harness.version}`)}, ${s.harness.commit ? `commit \`${cell(s.harness.commit)}\`` : 'commit unknown'} |`,
    );
  L.push(`| Started | ${s.startedAt} |`, `| Duration | ${secs(s.durationMs)} |`);
  L.push(
    `| Timing | delivery deadline ${s.timing.deliveryDeadlineMs} ms, quiet period ${s.timing.quietPeriodMs} ms, settle window ${s.timing.settleWindowUsedMs} ms (floors ${s.timing.floors.quietPeriodMs} / ${s.timing.floors.settleWindowMs} ms) |`,
  );
  L.push(`| Tags | ${s.tags ? `\`${cell(s.tags)}\`` : '(none: the whole ICS selection)'} |`);
  if (s.shard)
    L.push(`| Shard | ${s.shard.index}/${s.shard.total}: ${s.selection.keys.length} of the ${s.shard.of.length} selected scenarios |`);
  if (s.mergedFrom)
    L.push(
      `| Merged from | ${s.mergedFrom.map((m) => `shard ${m.shard} (${m.runId ?? m.summary}, ${m.verdict}, ${secs(m.durationMs)})`).join('; ')} |`,
    );
  L.push(
    `| Scenarios | ${s.selection.executed} executed of ${s.selection.selected} selected by the ICS${s.partial ? ' — **partial**' : ''}; ${s.selection.notApplicable} not applicable |`,
  );
  L.push('');
  L.push('## Verdict', '', `**${headline(s)}**`, '');
  for (const r of s.reasons) L.push(`- ${r}`);
  if (s.warnings.length) {
    L.push('', 'Warnings (do not fail the run):', '');
    for (const w of s.warnings) L.push(`- ${w}`);
  }
  L.push('', '## Totals', '', '| | pass | fail | inconclusive | error | not applicable | not tested |', '|---|---|---|---|---|---|---|');
  const t = s.totals;
  L.push(
    `| scenarios | ${t.scenarios.pass} | ${t.scenarios.fail} | ${t.scenarios.inconclusive} | ${t.scenarios.error} | ${t.scenarios['not applicable']} | – |`,
  );
  L.push(
    `| requirements | ${t.requirements.pass} | ${t.requirements.fail} | ${t.requirements.inconclusive} | ${t.requirements.error} | ${t.requirements['not applicable']} | ${t.requirements['not tested']} |`,
  );
  const timeSpent = renderTimeSpent(s);
  if (timeSpent.length) L.push('', ...timeSpent);
  L.push(
    '',
    '## Requirements',
    '',
    '| requirement | clause | level | source | force | verdict | scenarios | why |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const r of s.requirements) {
    const v = `${r.verdict}${r.knownDeviation ? ' (known deviation)' : ''}${r.verdict === 'fail' && r.force === 'warns' ? ' (warning)' : ''}`;
    L.push(
      `| ${r.id} | ${r.clause} | ${r.level} | ${SOURCE_WORDS[r.source.kind]}: ${cell(r.source.where)} | ${r.force} | ${v} | ${r.scenarios.length} | ${cell(r.verdict === 'pass' ? '' : (r.reason ?? ''))} |`,
    );
  }
  L.push('', '## Known deviations', '');
  if (!s.deviations.length) L.push('None declared in the ICS.');
  else {
    L.push('| deviation | reason | link | status | scenarios |', '|---|---|---|---|---|');
    for (const d of s.deviations) {
      const what = [d.requirement && `requirement ${d.requirement}`, d.scenario && `scenario "${d.scenario}"`].filter(Boolean).join(', ');
      L.push(
        `| ${cell(what)} | ${cell(d.reason)} | ${cell(d.link ?? '')} | ${d.status}${d.status === 'unexpectedly-passes' ? ' ⚠' : ''} | ${cell(d.scenarios.join(', '))} |`,
      );
    }
  }
  if (s.selection.missing.length) {
    L.push('', '## Selected but not executed', '');
    for (const m of s.selection.missing.slice(0, 50)) L.push(`- ${m}`);
    if (s.selection.missing.length > 50) L.push(`- … and ${s.selection.missing.length - 50} more (summary.json lists them all)`);
  }
  L.push('', '## Scenarios', '', '| verdict | scenario | location | reason |', '|---|---|---|---|');
  for (const sc of s.scenarios) {
    const v = `${sc.verdict}${sc.deviation !== undefined ? ' (known deviation)' : ''}`;
    L.push(`| ${v} | ${cell(sc.name)} | ${sc.location} | ${cell(sc.verdict === 'pass' ? '' : sc.reason)} |`);
  }
  L.push('', '## ICS', '', '```json', JSON.stringify(s.ics.declared, null, 2), '```');
  L.push('', '## IXIT (SP tokens redacted)', '', '```json', JSON.stringify(s.ixit.declared, null, 2), '```');
  L.push('', '## Reproduce', '', '```sh', s.command, '```', '');
  L.push(
    `Versions: node ${s.versions.node}, ${s.suite.name} ${s.versions.suite}${s.harness?.commit ? ` (commit ${s.harness.commit})` : ''}, cucumber-js ${s.versions.cucumber}; features \`${s.suite.featuresDigest}\`.`,
    '',
  );
  return L.join('\n');
}

/** Writes summary.json and summary.md into runDir; returns their paths. */
export function writeSummary(runDir: string, summary: Summary): { json: string; md: string } {
  if (!existsSync(runDir)) mkdirSync(runDir, { recursive: true });
  const json = join(runDir, 'summary.json');
  const md = join(runDir, 'summary.md');
  writeFileSync(json, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(md, renderSummaryMarkdown(summary));
  writeFileSync(join(runDir, 'requirements.junit.xml'), renderRequirementsJunit(summary));
  return { json, md };
}
