/**
 * The verdict of a load run: its history replayed cohort by cohort through a fresh model
 * (./model.ts), judged with the suite's own checks at every action boundary — once a cohort's
 * next action starts, everything the previous ones caused has arrived or had its whole bound
 * (the workload waits for it: ./cohort.ts) — and once more at the end, after the drain; then
 * the checks across cohorts (Client IDs, report Message-IDs, unattributable messages).
 *
 * Pure: a function of the history and the ICS, so it is unit-tested on hand-built histories.
 * Each finding is graded by its requirement's force (src/requirements/force.ts): a CR, table or
 * binding rule is a violation, a derived one a warning — as in the suite.
 */
import { RELEASE_MESSAGES } from '../catalog/messages';
import { isReleaseType, isSetType } from '../catalog/protocol';
import { settingKey } from '../../mocks/dpe-state';
import type { Ics } from '../config/ics';
import { judgeSps, pendingAtSps } from '../harness/areas/client-id';
import {
  foreignSettings,
  mislabelled,
  missingSettings,
  pendingAtDevices,
  sentToUnregistered,
  setsAfterLeaving,
  wildcardReleaseSince,
} from '../harness/areas/device-outcome';
import { judgeMalformed } from '../harness/areas/messages';
import type { Finding as SuiteFinding } from '../harness/judgement';
import type { Outcome } from '../harness/settle';
import { SET_REQUIREMENT } from '../harness/device-expectation';
import { forceOfId } from '../requirements/force';
import { checkClientIds } from './client-ids';
import type { HistoryEntry, LoadHistory } from './history';
import type { RegistrationRecord } from './model';
import { CohortModel } from './model';
import type { Finding, InvariantId, Violation } from './violations';
import { INVARIANTS } from './violations';

export interface Verdict {
  violations: Violation[];
  warnings: Violation[];
  /** Per invariant: violations and warnings found. */
  byInvariant: Record<InvariantId, { violations: number; warnings: number }>;
  /** Cohorts whose state after an unanswered request was not judged (the model cannot know what the target did). */
  notJudgedAfter: Array<{ cohort: string; at: number }>;
  cohorts: number;
  checkpoints: number;
  /** Messages to devices delivered again unchanged (retries of at-least-once delivery), each taken once. */
  retries: number;
}

const RELEASE_REQUIREMENT: Record<string, string> = { DPE_Group_Release: 'dc.release-groups', DPE_Policy_Release: 'dc.release-policies' };

export function checkHistory(h: LoadHistory, ics: Ics): Verdict {
  const findings = new Map<string, Finding>();
  const add = (f: Finding) => {
    if (!findings.has(f.key)) findings.set(f.key, f);
  };
  const registrations: RegistrationRecord[] = [];
  const notJudgedAfter: Verdict['notJudgedAfter'] = [];
  let checkpoints = 0;
  let retries = 0;
  const cohortIds = [
    ...new Set([...h.roster.devices.map((d) => d.cohort), ...h.roster.users.map((u) => u.cohort), ...h.entries.map((e) => e.cohort)]),
  ];
  const byCohort = new Map<string, HistoryEntry[]>(cohortIds.map((c) => [c, []]));
  for (const e of [...h.entries].sort((a, b) => a.g - b.g)) byCohort.get(e.cohort)!.push(e);
  for (const cohort of cohortIds) {
    const roster = {
      devices: h.roster.devices.filter((d) => d.cohort === cohort),
      users: h.roster.users.filter((u) => u.cohort === cohort),
      sps: h.roster.sps,
    };
    const m = new CohortModel(cohort, roster, ics);
    const entries = byCohort.get(cohort)!;
    for (const e of entries) {
      // an action begins: what the earlier ones caused has had its time
      if (e.kind === 'request' && m.idle() && m.trace.entries.length && !m.unansweredAt) {
        checkpoint(m, e.g).forEach(add);
        checkpoints++;
      }
      m.apply(e);
    }
    const end = entries.at(-1)?.g ?? 0;
    if (m.unansweredAt) notJudgedAfter.push({ cohort, at: m.unansweredAt.g });
    else {
      checkpoint(m, end).forEach(add);
      checkpoints++;
      lost(m, end).forEach(add);
    }
    endOfRun(m, end).forEach(add);
    m.answerFindings.forEach(add);
    registrations.push(...m.registrations);
    retries += m.retries;
  }
  checkClientIds(registrations, ics.clientIdPolicy).forEach(add);
  reportMessageIds(h).forEach(add);
  for (const [i, u] of h.unattributed.entries()) {
    add({
      invariant: 'catalog',
      requirement: 'binding.rejected-no-state-change',
      message: `the target sent a message no party of the load can own (${u.why}): ${u.body.slice(0, 300)}`,
      entries: [],
      key: `unattributed|${i}`,
      at: Number.MAX_SAFE_INTEGER,
    });
  }
  return { ...grade([...findings.values()], ics), notJudgedAfter, cohorts: cohortIds.length, checkpoints, retries };
}

function grade(all: Finding[], ics: Ics): Pick<Verdict, 'violations' | 'warnings' | 'byInvariant'> {
  const byInvariant = Object.fromEntries(INVARIANTS.map((i) => [i.id, { violations: 0, warnings: 0 }])) as Verdict['byInvariant'];
  const violations: Violation[] = [];
  const warnings: Violation[] = [];
  for (const { key: _key, ...f } of all.sort((a, b) => a.at - b.at)) {
    const force = f.requirement ? forceOfId(f.requirement, ics) : 'fails';
    if (force === 'informs') continue;
    if (force === 'fails') {
      violations.push({ ...f, force });
      byInvariant[f.invariant].violations++;
    } else {
      warnings.push({ ...f, force });
      byInvariant[f.invariant].warnings++;
    }
  }
  return { violations, warnings, byInvariant };
}

const asHistory = (entries: readonly unknown[] | undefined): HistoryEntry[] => (entries ?? []) as HistoryEntry[];

function wrap(m: CohortModel, at: number, invariant: InvariantId, f: SuiteFinding, key?: string): Finding {
  return {
    invariant,
    requirement: f.requirement,
    message: f.message,
    entries: asHistory(f.entries),
    cohort: m.cohort,
    key: key ?? `${f.requirement}|${f.message}`,
    at,
  };
}

/** The suite's settled judgement of devices and SPs, at one action boundary (or the end). */
function checkpoint(m: CohortModel, at: number): Finding[] {
  const out: Finding[] = [];
  for (const d of m.allDevices()) {
    const x = m.oracle.expectationOf(d.name);
    if (x.basis === 'unregistered') continue;
    for (const f of missingSettings(d, x))
      out.push(wrap(m, at, 'device-state', f, `${f.requirement}|${d.name}|${x.since}|${settingKey(f.wanted.kind, f.wanted.id)}`));
    for (const f of [...foreignSettings(m, d, x), ...setsAfterLeaving(d, x)]) out.push(wrap(m, at, 'device-state', f));
    if (x.basis !== 'device-change') continue;
    // 8.2.2: both "*" releases reach the device the user now uses
    for (const t of RELEASE_MESSAGES) {
      if (wildcardReleaseSince(m, d, t, x.since)) continue;
      const got = d.received.filter((e) => e.seq >= x.since && e.messageType === t);
      out.push({
        invariant: 'device-state',
        requirement: RELEASE_REQUIREMENT[t]!,
        message: `${d.name} received no ${t} with "*" for its device change at #${x.since} (clause 8.2.2, use case ${x.useCase ?? 'unknown'})${got.length ? `; it received ${got.length} without "*"` : ''}`,
        entries: asHistory(got),
        cohort: m.cohort,
        key: `${RELEASE_REQUIREMENT[t]}|${d.name}|${x.since}`,
        at,
      });
    }
    // binding (Timing and order): both releases before any set of the device change
    const since = d.received.filter((e) => e.seq >= x.since);
    const firstSet = since.find((e) => isSetType(e.messageType));
    const late = firstSet && since.find((e) => isReleaseType(e.messageType) && e.seq > firstSet.seq);
    if (firstSet && late) {
      out.push({
        invariant: 'order',
        requirement: 'dc.order-releases-first',
        message: `${late.messageType} (#${late.seq}) reached ${d.name} after ${firstSet.messageType} (#${firstSet.seq}) of its device change at #${x.since}: the binding has both releases arrive before any set`,
        entries: asHistory([firstSet, late]),
        cohort: m.cohort,
        key: `dc.order-releases-first|${d.name}|${x.since}`,
        at,
      });
    }
  }
  for (const f of judgeSps(m)) out.push(wrap(m, at, 'client-id-reports', f));
  return out;
}

/** What was still owed when the drain ended: lost. */
function lost(m: CohortModel, at: number): Finding[] {
  const requirementOf = (o: Outcome): string => {
    if (o.kind === 'release') return RELEASE_REQUIREMENT[o.messageType] ?? 'dc.release-groups';
    if (o.kind === 'setting') {
      const x = o.device ? m.oracle.expectationOf(o.device) : undefined;
      const r = x && [...x.required.values()].find((q) => q.setting.kind === o.messageType && `"${q.setting.id}"` === o.detail);
      return r?.requirement ?? SET_REQUIREMENT[o.messageType as keyof typeof SET_REQUIREMENT] ?? 'dc.set-groups';
    }
    return 'cid.report-on-change';
  };
  return [...pendingAtDevices(m), ...pendingAtSps(m)].map((o) => ({
    invariant: 'lost' as const,
    requirement: requirementOf(o),
    message: `${o.to} never received ${o.messageType} ${o.detail ?? ''} (expected from #${o.since}) by the end of the drain`.replace(
      / {2,}/g,
      ' ',
    ),
    entries: [],
    cohort: m.cohort,
    key: `lost|${m.cohort}|${o.key}`,
    at,
  }));
}

/** Judged once over the whole history of a cohort: labels, messages to unregistered devices, malformed messages, a group's policies before it. */
function endOfRun(m: CohortModel, at: number): Finding[] {
  const out: Finding[] = [];
  for (const d of m.allDevices()) {
    const x = m.oracle.expectationOf(d.name);
    const labels = x.basis === 'unregistered' ? sentToUnregistered(d, x) : mislabelled(d);
    for (const f of labels) out.push(wrap(m, at, 'catalog', f));
    for (const p of d.state.problems) {
      out.push({
        invariant: 'order',
        requirement: p.requirement,
        message: `${d.name}: ${p.message}`,
        entries: m.trace.entries.filter((e) => e.seq === p.seq),
        cohort: m.cohort,
        key: `${p.requirement}|${d.name}|${p.seq}`,
        at,
      });
    }
  }
  for (const f of judgeMalformed(m)) out.push(wrap(m, at, 'catalog', f));
  return out;
}

/** binding: an SP de-duplicates reports by Message-ID across all its users, so one Message-ID says one thing. */
function reportMessageIds(h: LoadHistory): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<string, HistoryEntry>();
  for (const e of h.entries) {
    if (e.kind !== 'notify' || e.messageType !== 'DPE_Client_ID_Report' || !h.roster.sps.some((s) => s.name === e.to)) continue;
    const id = (e.body as Record<string, unknown> | null)?.['Message-ID'];
    const key = `${e.to}\u0000${JSON.stringify(id)}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, e);
      continue;
    }
    if (JSON.stringify(first.body) === JSON.stringify(e.body)) continue;
    out.push({
      invariant: 'client-id-reports',
      requirement: 'cid.report-message-id-unique',
      message: `DPE_Client_ID_Report #${e.seq} (cohort ${e.cohort}) to the ${e.to} says something else than #${first.seq} (cohort ${first.cohort}) under the same Message-ID ${JSON.stringify(id)}, so the SP drops it as a duplicate`,
      entries: [first, e],
      cohort: e.cohort,
      key: `cid.report-message-id-unique|${key}|${e.g}`,
      at: e.g,
    });
  }
  return out;
}
