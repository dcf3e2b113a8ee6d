/**
 * Checks of features/robustness (the binding's Errors and Authentication): rejected requests get
 * the error object and change nothing; messages nobody can own are failures, never silent 404s.
 */
import type { MockDevice } from '../../../mocks/device';
import { IE, received } from '../../catalog/protocol';
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

/** The requirement a rejection with a given Code proves; other codes prove the error object only. */
const REJECTION_REQUIREMENT: Readonly<Record<string, string>> = {
  UNAUTHORIZED: 'sp.unauthorized-rejected',
  MISSING_IDENTITY: 'reg.no-identity-rejected',
  PAYLOAD_TOO_LARGE: 'binding.body-limit',
};

export class RobustnessChecks {
  constructor(private readonly s: Scenario) {}

  /** The last answer was a 4xx error object naming `code` (and `ie`, when given). */
  async expectRejected(code: string, ie?: string): Promise<void> {
    const s = this.s;
    const requirement = REJECTION_REQUIREMENT[code] ?? 'binding.error-object';
    await s.check(requirement, () => {
      const a = s.lastAnswer;
      if (!a) throw new Error('no request was sent');
      if (a.status < 400 || a.status > 499 || !isErrorBody(a.body)) {
        const why =
          code === 'PAYLOAD_TOO_LARGE'
            ? `the body was over the limit the IXIT declares (limits.maxBodyBytes ${s.ctx.ixit.limits?.maxBodyBytes} bytes): `
            : '';
        throw new ConformanceFailure(
          `${why}expected a 4xx answer with an Error object (binding, Errors), got ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`,
        );
      }
      if (a.body.Error.Code !== code)
        throw new ConformanceFailure(`expected Error Code ${code}, got ${a.body.Error.Code}: ${a.body.Error.Detail ?? ''}`);
      if (ie && a.body.Error.IE !== ie)
        throw new ConformanceFailure(
          `expected the Error to name IE ${ie}, it names ${JSON.stringify(a.body.Error.IE)}`,
          [],
          'binding.error-object',
        );
    });
    if (code === 'PAYLOAD_TOO_LARGE') await this.expectStatus413();
  }

  /** derived (HTTP): a body over the limit is answered with HTTP's status for it, 413 Content Too Large. */
  private expectStatus413(): Promise<void> {
    const s = this.s;
    return s.check('binding.body-limit-413', () => {
      const a = s.lastAnswer;
      if (a && a.status !== 413) {
        throw new ConformanceFailure(
          `the over-limit body was answered ${a.status} PAYLOAD_TOO_LARGE; HTTP's status for a body over the limit is 413 Content Too Large (RFC 9110, 15.5.14)`,
        );
      }
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
      const unregistered = new Set(
        s
          .allDevices()
          .filter((d) => s.oracle.expectationOf(d.name).basis === 'unregistered')
          .map((d) => d.name),
      );
      const got = s.trace.filter((e) => e.kind === 'notify' && unregistered.has(e.to), s.since);
      if (got.length) {
        throw new ConformanceFailure(
          `the rejected request was followed by ${got.map((e) => `${e.messageType} to ${e.to} (#${e.seq})`).join(', ')}: a rejected message causes no message to any party (binding, Errors)`,
          got,
        );
      }
    });
  }

  /**
   * binding (Errors): a body far over the limit is turned away — answered PAYLOAD_TOO_LARGE, or its
   * connection cut off while it was being sent (the answer may be lost to the reset; what the
   * target does next is judged by the checks that follow: nothing sent, still serving).
   */
  expectTooLargeOrCutOff(): Promise<void> {
    // a cut-off body was not accepted: the steps that follow judge whether it changed anything
    if (this.s.lastAnswer?.cutOff !== undefined) return Promise.resolve();
    return this.expectRejected('PAYLOAD_TOO_LARGE');
  }

  /**
   * binding (Rejections): the target goes on serving after what it rejected — the last request, a
   * DPE_Client_ID_Query, was answered 200 listing exactly `devices`' Client IDs, as before the rejection.
   */
  expectStillServing(devices: MockDevice[]): Promise<void> {
    const s = this.s;
    return s.check('binding.serves-after-rejection', () => {
      const a = s.lastAnswer;
      if (!a) throw new Error('no request was sent');
      const want = devices.map((d) => s.clientIdOf(d));
      const got = a.status === 200 ? received('DPE_Client_ID_Response', a.body)[IE.ClientID] : undefined;
      const same = Array.isArray(got) && got.length === want.length && want.every((w) => got.includes(w));
      if (!same) {
        throw new ConformanceFailure(
          `after rejecting an over-limit body, the target answered the next DPE_Client_ID_Query ${a.status} ${JSON.stringify(a.body)}, ` +
            `expected 200 listing exactly ${JSON.stringify(want)}: a rejected message changes nothing, and the target goes on serving (binding, Rejections)`,
        );
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
