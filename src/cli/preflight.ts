/**
 * Preflight: before any scenario, check that the target answers HTTP and serves the binding's
 * DPE-1 endpoint, and that the SPs of the IXIT can reach it (onboarded, or a provisioning
 * endpoint to onboard them). Nothing listening, no HTTP answer, or no DPE-1 endpoint at that URL is an
 * environment error (exit 2). A target that answers HTTP at /dpe-1 but not as the binding
 * (a 500, a 200 to an empty message) is let through: the scenarios then record why it is
 * not conformant (exit 1).
 */
import { randomInt } from 'node:crypto';
import type { Ixit } from '../config/ixit';
import { answerDeadlineMs } from '../config/ixit';
import { isErrorBody } from '../harness/target';

export type PreflightOutcome =
  /** Answered an empty DPE-1 message with a 4xx binding Error object. */
  | { kind: 'speaks-binding'; detail: string }
  /** Answered HTTP, but not as the binding: the suite runs and will show why. */
  | { kind: 'answers-http'; detail: string }
  /** Environment error: nothing to test at this URL. */
  | { kind: 'unreachable'; detail: string };

export interface PreflightOptions {
  /** Per-request deadline. */
  timeoutMs?: number;
  /** Deadline of the whole preflight, so a run that cannot start ends well within 10 s. */
  budgetMs?: number;
  /** The IXIT onboards SPs through the provisioning endpoint: it must exist. */
  checkProvisioning?: boolean;
  /**
   * SPs the target must already know (the IXIT does not onboard them): each asks a Client ID
   * query for an identity no scenario uses; a 401 means the SP is not configured in the target.
   */
  onboardedSps?: Array<{ spId: string; token: string }>;
}

interface Probe {
  status: number;
  body: unknown;
  text: string;
}

async function probe(url: string, timeoutMs: number, message: unknown = {}, headers: Record<string, string> = {}): Promise<Probe | string> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text for the message
    }
    return { status: res.status, body, text };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    const c = err.cause;
    if (c?.code) return `${c.code} (${c.message ?? err.message})`;
    return c?.message ? `${err.message}: ${c.message}` : err.message;
  }
}

const snippet = (p: Probe) => `HTTP ${p.status} ${p.text.replace(/\s+/g, ' ').slice(0, 160)}`.trim();
/** Answers that mean "no such endpoint here": the URL is wrong, not the implementation. */
const NO_ENDPOINT = new Set([404, 405, 501]);

export async function preflight(targetUrl: string, o: PreflightOptions = {}): Promise<PreflightOutcome> {
  const deadline = Date.now() + (o.budgetMs ?? 7000);
  const wait = () => Math.max(250, Math.min(o.timeoutMs ?? 3000, deadline - Date.now()));
  let dpe1: string;
  try {
    dpe1 = new URL('dpe-1', targetUrl.endsWith('/') ? targetUrl : `${targetUrl}/`).toString();
  } catch {
    return { kind: 'unreachable', detail: `"${targetUrl}" is not a URL` };
  }
  const p = await probe(dpe1, wait());
  if (typeof p === 'string') {
    return { kind: 'unreachable', detail: `POST ${dpe1}: ${p}. Is the server running and listening on that address?` };
  }
  if (NO_ENDPOINT.has(p.status)) {
    return {
      kind: 'unreachable',
      detail: `POST ${dpe1} answered ${snippet(p)}: no DPE-1 endpoint of the binding at this URL (check the base URL of --target)`,
    };
  }
  if (o.checkProvisioning) {
    const prov = new URL('provisioning/service-providers', dpe1).toString();
    const q = await probe(prov, wait());
    if (typeof q === 'string') return { kind: 'unreachable', detail: `POST ${prov}: ${q}` };
    if (NO_ENDPOINT.has(q.status)) {
      return {
        kind: 'unreachable',
        detail:
          `the IXIT sets onboardThroughProvisioning, but POST ${prov} answered ${snippet(q)}: ` +
          'onboard the IXIT SPs in the server and set onboardThroughProvisioning false, or enable the provisioning endpoint',
      };
    }
  }
  for (const sp of o.onboardedSps ?? []) {
    const dpe2 = new URL('dpe-2', dpe1).toString();
    const query = {
      'Message-Type': 'DPE_Client_ID_Query',
      'Message-ID': 1,
      'Query-Key': `tel:+1555${randomInt(0, 1e9).toString().padStart(10, '0')}`,
    };
    const q = await probe(dpe2, wait(), query, { authorization: `Bearer ${sp.token}` });
    if (typeof q === 'string') return { kind: 'unreachable', detail: `POST ${dpe2} (DPE_Client_ID_Query of SP ${sp.spId}): ${q}` };
    const code = isErrorBody(q.body) ? q.body.Error.Code : undefined;
    if (q.status === 401 || code === 'UNAUTHORIZED') {
      return {
        kind: 'unreachable',
        detail:
          `SP ${sp.spId} of the IXIT is not onboarded in the target: a DPE_Client_ID_Query with its token answered ${snippet(q)}. ` +
          'Configure the IXIT SPs (SP-ID, token, Notify-URI) in the server, or set onboardThroughProvisioning true',
      };
    }
  }
  if (p.status >= 400 && p.status < 500 && isErrorBody(p.body)) {
    const code = (p.body as { Error: { Code: string } }).Error.Code;
    return { kind: 'speaks-binding', detail: `POST ${dpe1} with an empty message answered ${p.status} Error ${code}` };
  }
  return {
    kind: 'answers-http',
    detail: `POST ${dpe1} with an empty message answered ${snippet(p)}, not a 4xx binding Error object; the scenarios will show where it departs from the binding`,
  };
}

/** The preflight a run's IXIT asks for: the provisioning endpoint when it onboards through it, else every SP it expects configured. */
export function preflightTarget(
  targetUrl: string,
  ixit: Ixit,
  o: Pick<PreflightOptions, 'timeoutMs' | 'budgetMs'> = {},
): Promise<PreflightOutcome> {
  // the IXIT's answer deadline, as in the run: a loaded machine's slow answer is not "no server"
  const timeoutMs = o.timeoutMs ?? answerDeadlineMs(ixit.timing);
  return preflight(targetUrl, {
    budgetMs: 3 * timeoutMs,
    ...o,
    timeoutMs,
    checkProvisioning: ixit.onboardThroughProvisioning,
    onboardedSps: ixit.onboardThroughProvisioning ? [] : ixit.serviceProviders,
  });
}
