/** docs/errata.md, from src/requirements/errata.ts (with what depends on each erratum: requirements, the message catalog, the checks that read it). */
import type { Erratum } from '../src/requirements/errata';
import { ERRATA } from '../src/requirements/errata';
import { REQUIREMENTS } from '../src/requirements/catalog';
import { MESSAGES } from '../src/catalog/messages';
import { HARNESS_READERS } from '../src/requirements/erratum-readers';
import { erratumDefault, governsInWords } from './docs-words';
import { header, table } from './gen-docs-markdown';

export function renderErrata(errata: readonly Erratum[] = ERRATA): string {
  const out: string[] = [];
  out.push(header('src/requirements/errata.ts'));
  out.push('# Errata of the change request\n');
  out.push(
    'This document is for the editors of the DPE TS and for implementers. It lists every typo, ' +
      'inconsistency and open point found in the change request that this harness tests ' +
      '(`000_4a9263f79cf444a5.txt`, "device change use cases": 6.1, 8.1.1, 8.2.2, 8.2.3 and the tables of ' +
      '6.2.3.3, 6.2.6.1, 6.3.6.2, 6.3.7), and says how the harness reads each one.\n',
  );
  out.push(
    'Each erratum has a stable id (E01, E02, …). E01–E03 are referred to by the message catalog; the ' +
      'others follow the order of the CR text. Scenarios and requirements cite these ids.\n',
  );
  out.push('How a reading is chosen:\n');
  out.push(
    '- **strict / lenient** — the implementation states its reading in the `errata` map of its ICS ' +
      '(e.g. `"errata": {"E17": "strict"}`); without an entry the default reading applies. Strict ' +
      'accepts only what the harness takes to be the intended text; lenient also accepts what the ' +
      'literal or alternative text allows.',
  );
  out.push('- **ICS answer** — another field of the ICS (e.g. `restoredSettings`) decides.');
  out.push('- **fixed** — one reading, usually that of the wire binding; purely editorial errata have no effect on tests.\n');
  out.push(
    'To resolve an erratum, correct the TS and tell the project: the entry is kept (ids are never ' +
      'reused) and its reading is updated.\n',
  );

  out.push('## Summary\n');
  out.push(
    table(
      ['id', 'where', 'title', 'governed by'],
      errata.map((e) => [
        `[${e.id}](#${e.id.toLowerCase()})`,
        e.where,
        e.title,
        e.governs === 'strict-lenient'
          ? `ICS errata (default ${erratumDefault(e)})`
          : e.governs === 'ics-field'
            ? `ICS ${e.icsField ?? '?'}`
            : 'fixed',
      ]),
    ),
  );

  for (const e of errata) {
    out.push(`## ${e.id}\n`);
    out.push(`**${e.title}**\n`);
    out.push(`- **Where:** ${e.where}`);
    out.push(`- **Problem:** ${e.problem}`);
    out.push(`- **Harness reading:** ${e.reading}`);
    out.push(`- **Governed by:** ${governsInWords(e)}`);
    if (e.strict !== undefined) out.push(`- **Strict:** ${e.strict}`);
    if (e.lenient !== undefined) out.push(`- **Lenient:** ${e.lenient}`);
    const reqs = REQUIREMENTS.filter((r) => r.status.kind !== 'mandatory' && 'erratum' in r.status.when && r.status.when.erratum === e.id);
    if (reqs.length > 0) out.push(`- **Requirements that depend on it:** ${reqs.map((r) => `\`${r.id}\``).join(', ')}`);
    const ies = MESSAGES.flatMap((m) => m.ies.filter((ie) => ie.lenient?.erratum === e.id).map((ie) => `${m.key} / ${ie.name}`));
    if (ies.length > 0) out.push(`- **Message catalog entries:** ${ies.join(', ')}`);
    const readers = HARNESS_READERS.filter((x) => x.erratum === e.id);
    if (readers.length > 0) out.push(`- **Checks that read it:** ${readers.map((x) => x.check).join('; ')}`);
    if (e.proof) {
      out.push(
        `- **Proven by** (\`npm run mutation\`): the variants ${e.proof.lenient.map((n) => `\`${n}\``).join(', ')} behave per the lenient reading — ` +
          'they pass the whole suite under an ICS that declares it lenient and are caught under one that declares it strict; the reference server ' +
          `(strict behaviour) passes under the lenient ICS${e.proof.independent.length ? `; the independent implementation's ${e.proof.independent.map((n) => `\`${n}\``).join(', ')} likewise` : ''}.`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
