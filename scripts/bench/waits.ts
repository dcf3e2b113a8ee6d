/**
 * The wait ledgers of a bench run (src/harness/wait-ledger.ts), read from the cucumber messages
 * it wrote (DPE_BENCH_OUT): every verdict attachment's `waits`, added up. Row a takes the waits
 * the verdict rules mandate off the suite's time, to show what the harness itself costs beside
 * its dry run; row b names what the faulty server's missing messages cost.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Attachment } from '@cucumber/messages';
import type { WaitsRecord } from '../../src/harness/wait-ledger';
import { mandatedMs, sumWaits, waitsOf } from '../../src/harness/wait-ledger';
import { attachmentText } from '../../src/report/run-reader';
import { VERDICT_MEDIA_TYPE } from '../../src/report/verdict';
import type { Row } from './table';
import { ratio, row, seconds, unavailable } from './table';

export interface RunLedger {
  /** Verdict records that carried a ledger. */
  scenarios: number;
  byKind: WaitsRecord;
}

/**
 * The ledgers in a messages NDJSON, added up; undefined when none has one. Every attempt counts
 * (a retried one spent its time too); a torn last line (a run stopped at its cap) is skipped.
 */
export function ledgerInMessages(ndjson: string): RunLedger | undefined {
  const found: WaitsRecord[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.includes(VERDICT_MEDIA_TYPE)) continue;
    try {
      const a = (JSON.parse(line) as { attachment?: Attachment }).attachment;
      if (a?.mediaType !== VERDICT_MEDIA_TYPE) continue;
      const w = waitsOf((JSON.parse(attachmentText(a)) as { waits?: unknown }).waits);
      if (w) found.push(w);
    } catch {
      // not a whole message: nothing to count
    }
  }
  return found.length ? { scenarios: found.length, byKind: sumWaits(found) } : undefined;
}

export function ledgerInFile(file: string): RunLedger | undefined {
  return existsSync(file) ? ledgerInMessages(readFileSync(file, 'utf8')) : undefined;
}

/** Row a.suite-less-waits/dry-run: the suite without the waits the rules mandate, against its dry run. No goal: the goal stays on a.suite/dry-run. */
export function lessWaitsRow(suiteMs: number, dryMs: number, ledger: RunLedger | undefined, sel: string): Row {
  const id = 'a.suite-less-waits/dry-run';
  const what = `embedded suite${sel} less the waits the verdict rules mandate (settle windows, quiet periods, durations the features state) ÷ its dry run`;
  if (!ledger) return unavailable(id, what, "the suite's messages carry no wait ledger");
  const w = ledger.byKind;
  const mandated = mandatedMs(w);
  const rest = suiteMs - mandated;
  return row({
    id,
    what,
    figures:
      `suite ${seconds(suiteMs)} − ${seconds(mandated)} mandated (settle windows ${seconds(w.settle.ms)} in ${w.settle.count}, ` +
      `quiet periods ${seconds(w.quiet.ms)} in ${w.quiet.count}, stated durations ${seconds(w.stated.ms)} in ${w.stated.count}) = ${seconds(rest)}, ` +
      `dry run ${seconds(dryMs)}; of the rest, waits for messages that came ${seconds(w.arrived.ms)}, for messages that never came ` +
      `${seconds(w.missed.ms)} in ${w.missed.count}, for the target's answers ${seconds(w.answer.ms)}`,
    ratio: ratio(rest, dryMs),
    status: 'info',
  });
}

/** What row b adds to its figures: the faulty run's waits for messages that never came. */
export function missedFigure(ledger: RunLedger | undefined, capped: boolean): string {
  if (!ledger) return '; the faulty run left no wait ledger';
  const m = ledger.byKind.missed;
  return `; waiting for messages that never came ${seconds(m.ms)} in ${m.count} waits${capped ? ' (until the cap)' : ''}`;
}
