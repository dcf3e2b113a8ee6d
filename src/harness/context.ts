/**
 * Everything a worker shares across scenarios: the target (the embedded reference server or
 * an external one by URL), the mock network, the mock SPs and the declared ICS and IXIT.
 *
 * In a parallel run every worker has its own mock network (device traffic is attributed by
 * path) and its own identities. Its SPs: onboarded through the provisioning endpoint, each
 * worker onboards SPs of its own (SP-ID and token with the suffix -w<worker>, Notify-URI on its
 * own network); configured in the server beforehand (a fixed mockPort), they are the IXIT's, and
 * the run's router on that port delivers each report to the worker it is about (mocks/router.ts).
 */
import type { Onboarding } from '../catalog/test-hooks';
import { HOOK_IE } from '../catalog/test-hooks';
import type { Ics } from '../config/ics';
import type { Ixit } from '../config/ixit';
import { answerDeadlineMs } from '../config/ixit';
import { MessageValidator } from '../catalog/validate';
import type { DpeServer, ServerOptions } from '../server/app';
import { buildServer } from '../server/app';
import { MockNetwork } from '../../mocks/network';
import { enrolWithRouter, leaveRouter } from '../../mocks/router';
import { MockSp } from '../../mocks/service-provider';
import { Target } from './target';
import { IdentityFactory } from './identities';
import { Trace } from './trace';

export interface HarnessOptions {
  ics: Ics;
  ixit: Ixit;
  /** External target base URL; absent = start the embedded reference server. */
  targetUrl?: string;
  /** The target answered the CLI's preflight: a missing answer during the run is judged, not an error. */
  preflightPassed?: boolean;
  /** Builds the embedded server (a faulty or variant server in mutation runs). */
  buildEmbedded?: (o: ServerOptions) => DpeServer;
  /** This process's worker number in a parallel run. */
  worker?: string;
  /** Control URL of the run's mock-network router: the network listens on loopback behind it. */
  router?: string;
}

/** The SPs a worker plays: the IXIT's, with SP-ID and token of its own when it onboards them in a parallel run. */
export function workerSps(ixit: Ixit, worker: string | undefined): Ixit['serviceProviders'] {
  if (worker === undefined || !ixit.onboardThroughProvisioning) return ixit.serviceProviders;
  return ixit.serviceProviders.map((sp) => ({ ...sp, spId: `${sp.spId}-w${worker}`, token: `${sp.token}-w${worker}` }));
}

export class EnvironmentError extends Error {}

export class HarnessContext {
  readonly identities = new IdentityFactory();
  readonly sps = new Map<string, MockSp>();

  private constructor(
    readonly ics: Ics,
    readonly ixit: Ixit,
    readonly validator: MessageValidator,
    readonly network: MockNetwork,
    readonly target: Target,
    readonly embedded: DpeServer | undefined,
    private readonly router?: { url: string; worker: string },
  ) {}

  static async start(o: HarnessOptions): Promise<HarnessContext> {
    const validator = new MessageValidator(o.ics.errata);
    // behind the router, only the router (this machine) talks to the network
    const network = o.router
      ? new MockNetwork(validator, '127.0.0.1', 0)
      : new MockNetwork(validator, o.ixit.mockHost, o.ixit.mockPort, o.ixit.advertisedHost);
    const sps = workerSps(o.ixit, o.worker);
    // SP ports of their own only where the target reaches the network directly: a router exists
    // for a fixed mockPort, whose one port every party shares (@needs-sp-unreachable does not apply)
    await network.start(o.router ? [] : sps.map((sp) => sp.spId));
    const router = o.router ? { url: o.router, worker: o.worker ?? '0' } : undefined;
    if (router) network.advertiseAs(await enrolWithRouter(router.url, { id: router.worker, base: network.listeningUrl }));
    let embedded: DpeServer | undefined;
    let baseUrl = o.targetUrl;
    if (!baseUrl) {
      embedded = (o.buildEmbedded ?? buildServer)({
        policy: o.ics.clientIdPolicy,
        serviceProviders: o.ixit.onboardThroughProvisioning
          ? []
          : sps.map((sp) => ({ spId: sp.spId, token: sp.token, notifyUri: network.spUri(sp.spId) })),
        // the embedded server does what its ICS declares
        networkIdentityHeaders: o.ics.networkIdentityHeaders,
        nullUserReports: o.ics.nullUserReports,
        provisioningEndpoint: o.ics.provisioningEndpoint,
        serverDrivenRegistration: o.ics.serverDrivenRegistration,
        delivery: { attemptTimeoutMs: o.ixit.timing.deliveryDeadlineMs },
        // and keeps the body limit its IXIT declares
        ...(o.ixit.limits?.maxBodyBytes !== undefined ? { maxBodyBytes: o.ixit.limits.maxBodyBytes } : {}),
      });
      baseUrl = await embedded.listen(0, '127.0.0.1');
    }
    // a request answered later than the answer deadline counts as no answer
    const target = new Target(baseUrl, validator, answerDeadlineMs(o.ixit.timing), Boolean(o.targetUrl && o.preflightPassed));
    const ctx = new HarnessContext(o.ics, o.ixit, validator, network, target, embedded, router);
    for (const s of sps) {
      const sp = new MockSp(s.alias, s.spId, s.token, target);
      sp.port = network.portOf(s.spId);
      ctx.sps.set(s.alias, sp);
      network.addSp(s.spId, sp);
    }
    if (o.ixit.onboardThroughProvisioning) await ctx.onboardSps();
    return ctx;
  }

  /** binding: onboard the harness's SPs through the optional provisioning endpoint. */
  private async onboardSps(): Promise<void> {
    const trace = new Trace();
    for (const sp of this.sps.values()) {
      const body: Onboarding = { [HOOK_IE.SPID]: sp.spId, [HOOK_IE.Token]: sp.token, [HOOK_IE.NotifyURI]: this.network.spUri(sp.spId) };
      // set-up, not a verdict: workers starting together on a loaded machine may be slow to answer
      const a = await this.target.post('/provisioning/service-providers', body, trace, {
        from: 'harness',
        timeoutMs: 2 * answerDeadlineMs(this.ixit.timing),
      });
      if (a.status !== 201 && a.status !== 200) {
        throw new EnvironmentError(
          `onboarding SP ${sp.spId} through POST /provisioning/service-providers answered ${a.status} ${JSON.stringify(a.body)}; ` +
            'declare provisioningEndpoint false in the ICS and configure the SPs of the IXIT in the server instead',
        );
      }
    }
  }

  async stop(): Promise<void> {
    await this.embedded?.close();
    // what comes for this worker's scenarios from now on is too late, not unowned
    if (this.router) await leaveRouter(this.router.url, this.router.worker).catch(() => undefined);
    await this.network.stop();
  }
}
