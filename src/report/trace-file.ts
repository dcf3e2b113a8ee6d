/**
 * The raw trace of one scenario as NDJSON, one line per message, so a failure can be inspected
 * and replayed without the HTML report: seq, at (ms since the scenario's trace started), from,
 * to, kind, messageType, status, headers, body, problems (and note, when the harness added one).
 * A message the harness waited for in vain follows as a line of kind "not received" (at: when
 * the wait gave up; since: the first seq it waited from; withinMs; before: the arrival that decided
 * it, when one did), in time order among the rest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MissedMessage, TraceEntry } from '../harness/trace';

/** A file name from the scenario name and pickle id: readable, unique within a run. */
export function traceFileName(scenarioName: string, pickleId: string): string {
  const slug =
    scenarioName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'scenario';
  const id = pickleId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40);
  return `${slug}--${id}.ndjson`;
}

export function traceToNdjson(entries: readonly TraceEntry[], missed: readonly MissedMessage[] = []): string {
  const lines = entries.map((e) => ({
    at: e.at,
    line: JSON.stringify({
      seq: e.seq,
      at: e.at,
      from: e.from,
      to: e.to,
      kind: e.kind,
      messageType: e.messageType,
      status: e.status ?? null,
      headers: e.headers ?? {},
      body: e.body ?? null,
      problems: e.problems,
      ...(e.note ? { note: e.note } : {}),
    }),
  }));
  for (const m of missed) {
    const line = JSON.stringify({
      kind: 'not received',
      at: m.at,
      since: m.since,
      from: m.from,
      to: m.to,
      messageType: m.messageType,
      ...(m.detail ? { detail: m.detail } : {}),
      withinMs: m.withinMs,
      ...(m.before ? { before: m.before } : {}),
    });
    // after the entries that came before the wait gave up (a stable sort keeps their order)
    lines.push({ at: m.at + 0.5, line });
  }
  return lines
    .sort((a, b) => a.at - b.at)
    .map((l) => `${l.line}\n`)
    .join('');
}

const made = new Set<string>();

/** Writes the trace file into `dir` (created once per process) and returns its path. */
export function writeTraceFile(
  dir: string,
  scenarioName: string,
  pickleId: string,
  entries: readonly TraceEntry[],
  missed: readonly MissedMessage[] = [],
): string {
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  const file = join(dir, traceFileName(scenarioName, pickleId));
  writeFileSync(file, traceToNdjson(entries, missed));
  return file;
}
