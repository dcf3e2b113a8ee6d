/** docs/freedoms.md: "What an implementation may do", from src/requirements/freedoms.ts and the errata. */
import { ERRATA } from '../src/requirements/errata';
import { FREEDOMS } from '../src/requirements/freedoms';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const names = (list: string[]) => (list.length ? list.map((n) => `\`${n}\``).join(', ') : '—');

export function renderFreedoms(header: string): string {
  const out: string[] = [header, '# What an implementation may do\n'];
  out.push(
    "Everything the change request and the binding leave open is the implementation's choice, and the " +
      'suite must pass an implementation that makes it. This page lists those freedoms as the project ' +
      'reads them, each with where it is left open and the server variants that use it: `npm run ' +
      'mutation` runs every one of them and fails on any false failure. Reference variants are in ' +
      '`src/server/variants/legal.ts`; the independent implementation (`test/independent/`, written from ' +
      'these docs and the CR alone) has its own.\n',
  );
  out.push('| freedom | where it is left open | reference variants | independent implementation |', '|---|---|---|---|');
  for (const f of FREEDOMS) out.push(`| ${cell(f.text)} | ${cell(f.basis)} | ${names(f.variants)} | ${names(f.independent)} |`);
  out.push('', '## Readings an implementation declares', '');
  out.push(
    'Where the change request is open between two readings, the implementation declares its reading in ' +
      'the ICS `errata` map ([errata.md](errata.md)); every check honours the declared reading. Each ' +
      'switchable erratum is proven in both readings by variants that behave per the lenient one:\n',
  );
  out.push('| erratum | lenient reading | default | reference variants | independent implementation |', '|---|---|---|---|---|');
  for (const e of ERRATA.filter((x) => x.governs === 'strict-lenient')) {
    out.push(
      `| [${e.id}](errata.md#${e.id.toLowerCase()}) | ${cell(e.lenient ?? '')} | ${e.defaultReading ?? ''} | ${names(e.proof?.lenient ?? [])} | ${names(e.proof?.independent ?? [])} |`,
    );
  }
  out.push(
    '',
    'Other choices are declared as ICS answers: `clientIdPolicy` (6.1), `restoredSettings` (8.2.2 note), ' +
      '`networkIdentityHeaders` (8.1.1), `serverDrivenRegistration` and `provisioningEndpoint` (binding test hooks), ' +
      '`nullUserReports` (6.3.7). See [implementers.md](implementers.md).',
    '',
  );
  return out.join('\n');
}
