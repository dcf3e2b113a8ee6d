/**
 * requirements.junit.xml: one JUnit test case per requirement, for CI dashboards that count
 * requirements rather than scenarios. Each case carries the requirement's source and force as
 * properties, and every verdict class stays distinct (the Titan TTCN-3 logger once turned
 * `inconc` into a pass): fail → <failure type="fail">, a failed rule that only warns → passes
 * with <system-out> "warning", inconclusive → <failure type="inconclusive">, error → <error>,
 * not applicable / not tested → <skipped> with the reason.
 */
import type { RequirementResult, Summary } from './summary';
import { SOURCE_WORDS } from '../requirements/force';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function testCase(r: RequirementResult): string {
  const props =
    `      <properties>\n` +
    `        <property name="clause" value="${esc(r.clause)}"/>\n` +
    `        <property name="source" value="${esc(`${SOURCE_WORDS[r.source.kind]}: ${r.source.where}`)}"/>\n` +
    `        <property name="force" value="${r.force}"/>\n` +
    `        <property name="verdict" value="${esc(r.verdict)}"/>\n` +
    `      </properties>\n`;
  const why = esc(r.reason ?? '');
  let body = '';
  if (r.knownDeviation) body = `      <skipped message="known deviation declared in the ICS: ${why}"/>\n`;
  else if (r.verdict === 'fail' && r.force !== 'fails')
    body = `      <system-out>warning (a ${r.source.kind} rule, which does not fail the run): ${why}</system-out>\n`;
  else if (r.verdict === 'fail') body = `      <failure type="fail" message="${why}"/>\n`;
  else if (r.verdict === 'inconclusive') body = `      <failure type="inconclusive" message="${why}"/>\n`;
  else if (r.verdict === 'error') body = `      <error type="error" message="${why}"/>\n`;
  else if (r.verdict === 'not applicable' || r.verdict === 'not tested')
    body = `      <skipped message="${esc(r.verdict)}${why ? `: ${why}` : ''}"/>\n`;
  return `    <testcase classname="requirements.${esc(r.clause)}" name="${esc(r.id)}">\n${props}${body}    </testcase>\n`;
}

export function renderRequirementsJunit(s: Summary): string {
  const count = (f: (r: RequirementResult) => boolean) => s.requirements.filter(f).length;
  const failures = count((r) => !r.knownDeviation && (r.verdict === 'inconclusive' || (r.verdict === 'fail' && r.force === 'fails')));
  const errors = count((r) => r.verdict === 'error');
  const skipped = count((r) => r.knownDeviation || r.verdict === 'not applicable' || r.verdict === 'not tested');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="dpe-conformance requirements" tests="${s.requirements.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n` +
    `  <testsuite name="requirements" tests="${s.requirements.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n` +
    s.requirements.map(testCase).join('') +
    '  </testsuite>\n</testsuites>\n'
  );
}
