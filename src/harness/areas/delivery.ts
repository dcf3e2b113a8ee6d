/**
 * Checks of features/robustness/sp-outage.feature (binding, DPE-2 server to SP: on a network
 * error or a non-2xx answer the server retries; delivery is at-least-once): a mock SP that could
 * not take reports for a while — it refused them, reset the connection, left them unanswered or
 * was unreachable — is told what it missed once it takes reports again, within the retry horizon
 * the IXIT declares. What the SP knows is what it accepted (mocks/sp-knowledge.ts).
 */
import { describeFault } from '../../../mocks/sp-faults';
import type { MockDevice } from '../../../mocks/device';
import type { MockSp } from '../../../mocks/service-provider';
import { retryHorizonOf } from '../../config/timing';
import { ConformanceFailure } from '../expect';
import type { User } from '../oracle';
import type { Scenario } from '../scenario';

export class DeliveryChecks {
  constructor(private readonly s: Scenario) {}

  /**
   * `sp` comes to know that `user`'s Client IDs now include `device`'s: an accepted report says so,
   * within the IXIT's retry horizon and one delivery deadline (for the attempt itself) of now.
   */
  async expectToldOnceBack(sp: MockSp, user: User, device: MockDevice): Promise<void> {
    const s = this.s;
    const clientId = s.clientIdOf(device);
    const horizon = retryHorizonOf(s.ctx.ixit);
    const k = s.knowledgeOf(sp.alias);
    const told = () => k.about(user.identity).some((r) => r.seq >= s.since && (r.clientIds ?? []).includes(clientId));
    await s.check('cid.report-survives-sp-outage', async () => {
      if (await s.trace.waitUntil(told, horizon + s.deadline)) return;
      // a port that did not open again is the harness's trouble, not the target's
      const stuck = s.ctx.network.portFailure(sp.spId);
      if (stuck) throw new Error(stuck);
      const outage =
        s.outages
          .filter((o) => o.sp === sp.alias)
          .map((o) => `${describeFault(o.fault)} (from #${o.from})`)
          .join(', then ') || 'took every report';
      const tries = s.trace.filter(s.reportsAbout(sp, user), s.since);
      throw new ConformanceFailure(
        `the ${sp.name} ${outage}, then took reports again, but did not accept a DPE_Client_ID_Report giving ${user.name}'s new Client ID ` +
          `(${device.name}'s, ${clientId}) within the retry horizon the IXIT declares (${horizon} ms) and a delivery deadline (${s.deadline} ms) ` +
          `(binding: on a network error or non-2xx answer the server retries, at-least-once delivery). ` +
          `It was sent ${tries.length} delivery attempt(s) about ${user.name}:\n` +
          s.trace.describe((m) => m.to === sp.name, s.since),
        tries,
      );
    });
  }
}
