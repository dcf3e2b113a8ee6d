/**
 * Checks over recorded messages: pure functions of trace entries, so they are unit-tested
 * apart from any server. Each failure names the message, the IE and the clause.
 */
import type { IeName } from '../catalog/protocol';
import { IE, received } from '../catalog/protocol';
import { currentGherkinFrame } from './gherkin-frame';
import type { TraceEntry } from './trace';

/**
 * Makes `e.stack` its name and message, then one frame: the feature step that was running
 * (./gherkin-frame.ts says why a frame at all). For errors about the target's behaviour: the
 * reports (cucumber's, the terminal) print the stack, and frames in src/harness say nothing
 * about the target — the message names the message, the IE and the clause. Harness errors
 * (bugs) keep their stack. The stack must begin with the message, or cucumber prints it twice.
 */
export function withoutStack<E extends Error>(e: E): E {
  const frame = currentGherkinFrame();
  Object.defineProperty(e, 'stack', { configurable: true, enumerable: false, get: () => `${e.name}: ${e.message}\n${frame}` });
  return e;
}

const LONG_WORD = /\S{1000,}/g;

/**
 * A message with every run of over 1 000 non-space characters cut to 600 (an echoed over-limit
 * body, say): readable, and cucumber's stack parser, quadratic in such a run, would hang on it.
 */
export function clipLongWords(message: string): string {
  return message.replace(LONG_WORD, (w) => `${w.slice(0, 600)}… (${w.length} characters in all)`);
}

export class ConformanceFailure extends Error {
  constructor(
    message: string,
    /** Trace entries the failure is about (highlighted in the sequence chart). */
    readonly entries: TraceEntry[] = [],
    /** The requirement the failed check judges (set by Judgement.check when the check does not). */
    public requirement?: string,
  ) {
    super(clipLongWords(message));
    this.name = 'ConformanceFailure';
    withoutStack(this);
  }
}

/**
 * A set-up the scenario needs that did not come about (a registration, an SP's definition or
 * query answered otherwise than the set-up needs): it says nothing about the rule under test, so
 * the scenario is inconclusive in whichever step it happens (src/report/verdict.ts). cucumber
 * records its class name as the exception type: the reports carry it (src/report/run-reader.ts).
 */
export class SetupFailure extends ConformanceFailure {
  constructor(message: string, entries: TraceEntry[] = []) {
    super(message, entries);
    this.name = 'SetupFailure';
  }
}

export type Body = Record<string, unknown>;
/** The fields of an entry's body (a body that is no JSON object has none): the checks' and the load mode's one reading. */
export const bodyOf = (e: TraceEntry): Body =>
  typeof e.body === 'object' && e.body !== null && !Array.isArray(e.body) ? (e.body as Body) : {};

export interface ReportExpectation {
  /** Client IDs the report's Client-ID must include. */
  includes?: string[];
  /** Client IDs the report's Client-ID must not include. */
  excludes?: string[];
  /** Every Client ID the report lists must be one of these (the user's current ones, 6.3.7). */
  within?: string[];
  /** Client-ID must be null (the user has no Client ID any more). */
  nullClientId?: boolean;
  /**
   * Client IDs the user had before and no longer has. Replaces-Client-ID is optional (6.3.7);
   * when present it must list only some of these.
   */
  replaces?: string[];
  /** Replaces-Client-ID must be absent (a first Client ID replaces nothing). */
  noReplaces?: boolean;
  /** E47 read leniently: an empty bag means "none" as null does. */
  emptyIsNull?: boolean;
}

/** 6.3.7 / 8.2.3: the contents of a DPE_Client_ID_Report about one user. */
export function checkReport(report: TraceEntry, x: ReportExpectation): void {
  const b = received('DPE_Client_ID_Report', report.body);
  const fail = (ie: IeName, why: string, requirement: string) => {
    throw new ConformanceFailure(`DPE_Client_ID_Report (#${report.seq}): IE ${ie} ${why} (clause 6.3.7)`, [report], requirement);
  };
  const ids = b[IE.ClientID];
  const none = ids === null || (x.emptyIsNull === true && Array.isArray(ids) && ids.length === 0);
  if (x.nullClientId) {
    if (!none)
      fail(
        IE.ClientID,
        `is ${JSON.stringify(ids)}, expected null: the user has no Client ID any more`,
        'msg.client-id-report.client-id-null',
      );
  } else {
    if (!Array.isArray(ids))
      fail(IE.ClientID, `is ${JSON.stringify(ids)}, expected a bag with the user's current Client ID`, 'msg.client-id-report.ids-current');
    const list = ids as unknown[];
    for (const id of x.includes ?? [])
      if (!list.includes(id))
        fail(IE.ClientID, `is ${JSON.stringify(ids)}, expected it to include ${id}`, 'cid.report-matches-registration');
    for (const id of x.excludes ?? [])
      if (list.includes(id))
        fail(IE.ClientID, `is ${JSON.stringify(ids)}, but ${id} is no longer valid for the user`, 'msg.client-id-report.ids-current');
    if (x.within) {
      const stale = list.filter((id) => !x.within!.includes(id as string));
      if (stale.length)
        fail(
          IE.ClientID,
          `is ${JSON.stringify(ids)}, but ${stale.join(', ')} is not currently valid for the user (valid: ${x.within.join(', ')})`,
          'msg.client-id-report.ids-current',
        );
    }
  }
  const r = b[IE.ReplacesClientID];
  if (r === undefined) return;
  if (x.noReplaces)
    fail(
      IE.ReplacesClientID,
      `is ${JSON.stringify(r)}, expected it absent: the user had no Client ID before`,
      'cid.report-first-association',
    );
  if (!Array.isArray(r) || r.length === 0)
    fail(
      IE.ReplacesClientID,
      `is ${JSON.stringify(r)}; when present it is a non-empty bag of former Client IDs`,
      'msg.client-id-report.replaces',
    );
  const current = Array.isArray(ids) ? ids : [];
  for (const id of r as unknown[]) {
    if (current.includes(id))
      fail(IE.ReplacesClientID, `lists ${String(id)}, which the report's Client-ID also lists as current`, 'msg.client-id-report.replaces');
    if (x.replaces && !x.replaces.includes(id as string)) {
      fail(
        IE.ReplacesClientID,
        `lists ${String(id)}, which is not a Client ID the user had before and lost (expected only ${x.replaces.join(', ')})`,
        'msg.client-id-report.replaces',
      );
    }
  }
}

/** How a message table row types an IE: the words of the feature files. */
export type IeTypeWord = 'string' | 'integer' | 'bag of strings' | 'bag of strings or null' | 'null';

export interface IeRow {
  ie: string;
  type: IeTypeWord;
  /** The value the IE must have (bags compared as sets); undefined: any value of the type. */
  value?: unknown;
  /** Other names or values the IE may have under a lenient reading of an erratum. */
  altNames?: string[];
  altValues?: unknown[];
  /** E47 read leniently: an empty bag stands for null. */
  emptyIsNull?: boolean;
}

function hasType(v: unknown, t: IeTypeWord): boolean {
  const bag = Array.isArray(v) && v.every((x) => typeof x === 'string');
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'bag of strings':
      return bag;
    case 'bag of strings or null':
      return v === null || bag;
    case 'null':
      return v === null;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x) => b.some((y) => JSON.stringify(x) === JSON.stringify(y)));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A message table: each mandatory IE is present, of its type, with its value (when one is given). */
export function checkIes(message: string, body: Body, clause: string, rows: IeRow[], entries: TraceEntry[] = []): void {
  for (const row of rows) {
    const name = [row.ie, ...(row.altNames ?? [])].find((n) => n in body);
    if (!name) throw new ConformanceFailure(`${message}: mandatory IE ${row.ie} is missing (clause ${clause})`, entries);
    const v = body[name];
    if (!hasType(v, row.type) && !(row.emptyIsNull && row.type === 'null' && Array.isArray(v) && v.length === 0)) {
      throw new ConformanceFailure(`${message}: IE ${name} is ${JSON.stringify(v)}, expected a ${row.type} (clause ${clause})`, entries);
    }
    if (row.value !== undefined && ![row.value, ...(row.altValues ?? [])].some((w) => sameValue(v, w))) {
      throw new ConformanceFailure(
        `${message}: IE ${name} is ${JSON.stringify(v)}, expected ${JSON.stringify(row.value)} (clause ${clause})`,
        entries,
      );
    }
  }
}

/** How many reports `reports` are: one per Message-ID (at-least-once delivery repeats a report under its own). */
export function distinctReports(reports: TraceEntry[]): number {
  return new Set(reports.map((r) => received('DPE_Client_ID_Report', r.body)[IE.MessageID])).size;
}

/** binding: different reports never share a Message-ID; a retry repeats one report unchanged. */
export function checkReportMessageIdsUnique(reports: TraceEntry[], minimum: number): void {
  const byId = new Map<unknown, TraceEntry>();
  for (const r of reports) {
    const id = received('DPE_Client_ID_Report', r.body)[IE.MessageID];
    const earlier = byId.get(id);
    if (earlier && JSON.stringify(bodyOf(earlier)) !== JSON.stringify(bodyOf(r))) {
      throw new ConformanceFailure(
        `DPE_Client_ID_Report #${earlier.seq} and #${r.seq} say different things under the same Message-ID ${JSON.stringify(id)} (binding, clause 6.3.7)`,
        [earlier, r],
      );
    }
    byId.set(id, earlier ?? r);
  }
  if (byId.size < minimum) {
    throw new ConformanceFailure(
      `expected at least ${minimum} distinct DPE_Client_ID_Reports to compare, got ${byId.size} (clause 8.2.3)`,
      reports,
    );
  }
}

/** binding: a report delivered again after a refusal keeps its Message-ID and content. */
export function checkRetry(first: TraceEntry, again: TraceEntry): void {
  const a = bodyOf(first);
  const b = bodyOf(again);
  const [idA, idB] = [first, again].map((e) => received('DPE_Client_ID_Report', e.body)[IE.MessageID]);
  if (idA !== idB) {
    throw new ConformanceFailure(
      `DPE_Client_ID_Report #${again.seq} repeats the refused #${first.seq} with Message-ID ${JSON.stringify(idB)} instead of ${JSON.stringify(idA)}: ` +
        'the SP cannot recognise the duplicate (binding, at-least-once delivery)',
      [first, again],
    );
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    throw new ConformanceFailure(
      `DPE_Client_ID_Report #${again.seq} repeats #${first.seq} with other content: ${JSON.stringify(b)} vs ${JSON.stringify(a)} (binding)`,
      [first, again],
    );
  }
}

/** 6.1 (derived): no Client ID was handed to two different devices. */
export function checkNoClientIdOnTwoDevices(given: ReadonlyArray<{ device: string; clientId: string }>): void {
  const holder = new Map<string, string>();
  for (const g of given) {
    const h = holder.get(g.clientId);
    if (h && h !== g.device) {
      throw new ConformanceFailure(
        `Client ID ${g.clientId} was given to ${h} and then to ${g.device}: a Client ID identifies one device (clause 6.1, 8.2.2)`,
      );
    }
    holder.set(g.clientId, g.device);
  }
}
