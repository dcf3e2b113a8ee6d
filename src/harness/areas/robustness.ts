/**
 * Checks of features/robustness (the binding's Errors and Authentication): rejected requests get
 * the error object and change nothing; messages nobody can own are failures, never silent 404s.
 */
import { isErrorBody } from '../target';
import { ConformanceFailure } from '../expect';
import type { Finding } from '../judgement';
import type { Scenario } from '../scenario';

/** Messages the mock network refused while the scenario ran: nobody could own them (a loud failure). */
export function judgeUnattributed(s: Scenario): Finding[] {
  return s.ctx.network.unattributedDuring(s.id).map((u) => ({
    requirement: 'binding.rejected-no-state-change',
    message: `the target sent a message no party of the harness can own (${u.why}): ${u.body.slice(0, 300)}`,
  }));
}

export class RobustnessChecks {
  constructor(private readonly s: Scenario) {}

  /** The last answer was a 4xx error object naming `code` (and `ie`, when given). */
  expectRejected(code: string, ie?: string): Promise<void> {
    const s = this.s;
    const requirement = code === 'UNAUTHORIZED' ? 'sp.unauthorized-rejected' : code === 'MISSING_IDENTITY' ? 'reg.no-identity-rejected' : 'binding.error-object';
    return s.check(requirement, () => {
      const a = s.lastAnswer;
      if (!a) throw new Error('no request was sent');
      if (a.status < 400 || a.status > 499 || !isErrorBody(a.body)) {
        throw new ConformanceFailure(`expected a 4xx answer with an Error object (binding, Errors), got ${a.status} ${JSON.stringify(a.body)}`);
      }
      if (a.body.Error.Code !== code) throw new ConformanceFailure(`expected Error Code ${code}, got ${a.body.Error.Code}: ${a.body.Error.Detail ?? ''}`);
      if (ie && a.body.Error.IE !== ie) throw new ConformanceFailure(`expected the Error to name IE ${ie}, it names ${JSON.stringify(a.body.Error.IE)}`, [], 'binding.error-object');
    });
  }

  /**
   * binding (Rejections): a rejected request causes no message — nothing reaches the device whose
   * Notify-URI only the rejected request named, and what other devices hold is judged by the
   * settled judgement (a setting only the rejected request carried fails there).
   */
  async expectNothingSent(): Promise<void> {
    const s = this.s;
    await s.check('binding.rejected-no-state-change', async () => {
      await s.quietAfterAction();
      const unregistered = new Set(s.allDevices().filter((d) => s.oracle.expectationOf(d.name).basis === 'unregistered').map((d) => d.name));
      const got = s.trace.filter((e) => e.kind === 'notify' && unregistered.has(e.to), s.since);
      if (got.length) {
        throw new ConformanceFailure(`the rejected request was followed by ${got.map((e) => `${e.messageType} to ${e.to} (#${e.seq})`).join(', ')}: a rejected message causes no message to any party (binding, Errors)`, got);
      }
    });
  }

  /** The last defective request was rejected with the Code (and IE) its defect calls for. */
  expectRejectedForDefect(): Promise<void> {
    const d = this.s.lastDefect;
    if (!d) throw new Error('no defective request was sent');
    return this.expectRejected(d.code, d.ie);
  }
}
