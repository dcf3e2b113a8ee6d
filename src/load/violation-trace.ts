/**
 * The trace a violation of a load run is reported with: the messages of the parties and
 * identities it names — the devices a named user registered on among them — from the cohorts
 * it involves, up to where it was found, the latest TRACE_LINES of them, one line each.
 */
import { SERVER_PARTY } from '../harness/trace';
import type { HistoryEntry, LoadHistory } from './history';
import type { Violation } from './violations';

/** Lines of trace per violation: the latest ones up to where it was found. */
export const TRACE_LINES = 40;

/** Finds the messages of the parties and identities a finding names. */
export class TraceIndex {
  private readonly byCohort = new Map<string, HistoryEntry[]>();

  constructor(private readonly h: LoadHistory) {
    for (const e of h.entries) {
      let list = this.byCohort.get(e.cohort);
      if (!list) this.byCohort.set(e.cohort, (list = []));
      list.push(e);
    }
  }

  traceOf(v: Violation): string[] {
    const mentions = (name: string) => new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d.])`).test(v.message);
    const cohorts = new Set([...(v.cohort ? [v.cohort] : []), ...v.entries.map((e) => e.cohort)]);
    const parties = new Set<string>([...v.entries.flatMap((e) => [e.from, e.to])]);
    const identities = new Set<string>();
    for (const d of this.h.roster.devices) if (cohorts.has(d.cohort) && mentions(d.name)) parties.add(d.name);
    for (const u of this.h.roster.users) if (cohorts.has(u.cohort) && mentions(u.name)) identities.add(u.identity);
    for (const e of v.entries) for (const id of namedUsers(e)) identities.add(id);
    const entries = [...cohorts].flatMap((c) => this.byCohort.get(c) ?? []).filter((e) => e.g <= v.at);
    // the devices a named user registered on belong to the user's story (another user taking one over changes the user's Client IDs)
    for (const e of entries)
      if (e.kind === 'request' && e.messageType === 'DPE_Registration_Request' && namedUsers(e).some((id) => identities.has(id)))
        parties.add(e.from);
    // a device's registrations name its users: their SP messages belong to its story
    // an SP is in every cohort's story: its messages count when they name one of the identities
    const sps = new Set(this.h.roster.sps.map((sp) => sp.name));
    const involved = (e: HistoryEntry) =>
      (parties.has(e.from) && !sps.has(e.from) && e.from !== SERVER_PARTY) ||
      (parties.has(e.to) && !sps.has(e.to)) ||
      namedUsers(e).some((id) => identities.has(id));
    const list = entries.filter(involved);
    list.sort((a, b) => a.g - b.g);
    const shown = list.slice(-TRACE_LINES).map(describe);
    return list.length > TRACE_LINES ? [`… ${list.length - TRACE_LINES} earlier message(s) of the same parties`, ...shown] : shown;
  }
}

function namedUsers(e: HistoryEntry): string[] {
  const b = (e.body ?? {}) as Record<string, unknown>;
  return [b['User-Identity'], b['Query-Key']].flat().filter((x): x is string => typeof x === 'string');
}

const BODY_CHARS = 240;

function describe(e: HistoryEntry): string {
  const text = JSON.stringify(e.body) ?? String(e.body);
  const body = text.length > BODY_CHARS ? `${text.slice(0, BODY_CHARS)}…` : text;
  const label = e.headers?.['DPE-Client-ID'] ? ` (DPE-Client-ID ${e.headers['DPE-Client-ID']})` : '';
  return `#${e.g} ${e.cohort}#${e.seq} +${Math.round(e.t)}ms ${e.from} -> ${e.to}: ${e.messageType}${e.status ? ` [${e.status}]` : ''}${label} ${body}${e.note ? ` (${e.note})` : ''}`;
}
