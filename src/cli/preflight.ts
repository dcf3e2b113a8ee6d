/**
 * Preflight: before any scenario, check that the target answers HTTP and serves the binding's
 * DPE-1 endpoint. Nothing listening, no HTTP answer, or no DPE-1 endpoint at that URL is an
 * environment error (exit 2). A target that answers HTTP at /dpe-1 but not as the binding
 * (a 500, a 200 to an empty message) is let through: the scenarios then record why it is
 * not conformant (exit 1).
 */
import { isErrorBody } from '../harness/target';

export type PreflightOutcome =
  /** Answered an empty DPE-1 message with a 4xx binding Error object. */
  | { kind: 'speaks-binding'; detail: string }
  /** Answered HTTP, but not as the binding: the suite runs and will show why. */
  | { kind: 'answers-http'; detail: string }
  /** Environment error: nothing to test at this URL. */
  | { kind: 'unreachable'; detail: string };

export interface PreflightOptions {
  /** Per-request deadline; two requests at most, so a run ends well within 10 s. */
  timeoutMs?: number;
  /** The IXIT onboards SPs through the provisioning endpoint: it must exist. */
  checkProvisioning?: boolean;
}

interface Probe {
  status: number;
  body: unknown;
  text: string;
}

async function probe(url: string, timeoutMs: number): Promise<Probe | string> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
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
    return err.cause?.code ? `${err.cause.code} (${err.cause.message ?? err.message})` : err.message;
  }
}

const snippet = (p: Probe) => `HTTP ${p.status} ${p.text.replace(/\s+/g, ' ').slice(0, 160)}`.trim();
/** Answers that mean "no such endpoint here": the URL is wrong, not the implementation. */
const NO_ENDPOINT = new Set([404, 405, 501]);

export async function preflight(targetUrl: string, o: PreflightOptions = {}): Promise<PreflightOutcome> {
  const timeoutMs = o.timeoutMs ?? 3000;
  let dpe1: string;
  try {
    dpe1 = new URL('dpe-1', targetUrl.endsWith('/') ? targetUrl : `${targetUrl}/`).toString();
  } catch {
    return { kind: 'unreachable', detail: `"${targetUrl}" is not a URL` };
  }
  const p = await probe(dpe1, timeoutMs);
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
    const q = await probe(prov, timeoutMs);
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
  if (p.status >= 400 && p.status < 500 && isErrorBody(p.body)) {
    const code = (p.body as { Error: { Code: string } }).Error.Code;
    return { kind: 'speaks-binding', detail: `POST ${dpe1} with an empty message answered ${p.status} Error ${code}` };
  }
  return {
    kind: 'answers-http',
    detail: `POST ${dpe1} with an empty message answered ${snippet(p)}, not a 4xx binding Error object; the scenarios will show where it departs from the binding`,
  };
}
