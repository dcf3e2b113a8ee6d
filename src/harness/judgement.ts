/**
 * One scenario's judgement: every check names the requirement it judges, and the requirement's
 * normative force (src/requirements/force.ts) decides what a check that does not hold does —
 * a CR, table or binding rule fails the scenario; a derived rule becomes a warning and the
 * scenario goes on. Every finding is kept for the verdict record, failures and warnings alike.
 */
import type { Ics } from '../config/ics';
import { forceOfId } from '../requirements/force';
import type { JudgedCheck } from '../report/verdict';
import { ConformanceFailure } from './expect';
import type { TraceEntry } from './trace';

export interface Finding {
  requirement: string;
  message: string;
  entries?: TraceEntry[];
}

export class Judgement {
  readonly judged: Array<JudgedCheck & { entries: TraceEntry[] }> = [];

  constructor(private readonly ics: Ics) {}

  /** Runs a check of `requirement`: a failure of a rule that fails is thrown on, one that warns is recorded. */
  async check(requirement: string, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (!(e instanceof ConformanceFailure)) throw e;
      const id = e.requirement ?? requirement;
      if (this.note({ requirement: id, message: e.message, entries: e.entries }) === 'fails') {
        e.requirement = id;
        throw e;
      }
    }
  }

  /** Records a finding; returns its force. */
  note(f: Finding): 'fails' | 'warns' {
    const force = forceOfId(f.requirement, this.ics) === 'fails' ? 'fails' : 'warns';
    const message = `${f.message} (requirement ${f.requirement})`;
    if (!this.judged.some((j) => j.requirement === f.requirement && j.message === message)) {
      this.judged.push({ requirement: f.requirement, force, message, entries: f.entries ?? [] });
    }
    return force;
  }

  /** Records findings; throws the first that fails, naming all that fail. */
  settle(findings: Finding[]): void {
    const failing = findings.filter((f) => this.note(f) === 'fails');
    if (!failing.length) return;
    const text = failing.map((f) => `${f.message} (requirement ${f.requirement})`).join('\n  ');
    throw new ConformanceFailure(
      failing.length === 1 ? text : `${failing.length} checks did not hold once the scenario settled:\n  ${text}`,
      failing.flatMap((f) => f.entries ?? []),
      failing[0]!.requirement,
    );
  }

  failures(): JudgedCheck[] {
    return this.judged.filter((j) => j.force === 'fails').map(({ requirement, force, message }) => ({ requirement, force, message }));
  }

  warnings(): JudgedCheck[] {
    return this.judged.filter((j) => j.force === 'warns').map(({ requirement, force, message }) => ({ requirement, force, message }));
  }

  all(): JudgedCheck[] {
    return this.judged.map(({ requirement, force, message }) => ({ requirement, force, message }));
  }
}
