/**
 * The one path to the server under test: HTTP requests of the binding, each recorded in the
 * scenario trace with its answer, and the answer checked against the message catalog.
 */
import type { Dispatcher } from 'undici';
import { messageTypeOf } from '../catalog/protocol';
import type { MessageValidator, Problem } from '../catalog/validate';
import { clipLongWords, ConformanceFailure, withoutStack } from './expect';
import { chunkedBody } from './oversized';
import type { Trace, TraceEntry } from './trace';

export interface Answer {
  status: number;
  body: unknown;
  /** Problems of the answer against the catalog (empty when it is well-formed or not checked). */
  problems: Problem[];
  /** The connection broke before an answer came (only with SendOptions.mayBeCutOff; status is 0). */
  cutOff?: string;
}

export interface SendOptions {
  from: string;
  headers?: Record<string, string>;
  /** Catalog key the answer must match on success (e.g. 'DPE_Client_ID_Response'). */
  answerKey?: string;
  /** Raw body text instead of JSON (for malformed-input checks). */
  raw?: string;
  contentType?: string;
  /** Send the raw body chunked, without Content-Length (for body-limit checks). */
  chunked?: boolean;
  /** What the trace records as the body (a padded body would bury every other message). */
  tracedBody?: string;
  /** A connection broken before the answer is an Answer with `cutOff`, not an error (an over-limit body). */
  mayBeCutOff?: boolean;
  /** This request's answer deadline, when it is not the run's (a set-up step may wait longer). */
  timeoutMs?: number;
}

/** The target did not answer (no preflight saw it answer): an environment error, reported without a stack. */
export class TargetError extends Error {
  constructor(message: string) {
    super(clipLongWords(message));
    this.name = 'TargetError';
    withoutStack(this);
  }
}

/**
 * No answer (or a broken one) from a target that answered the preflight: the target stopped
 * answering during the run, which is its failure to follow the binding, not an environment fault.
 */
export class TargetStoppedAnswering extends ConformanceFailure {}

/** `<base>/<path>`: a base URL with a path (http://host/dpe/) keeps it for every request. */
export function targetUrl(base: string, path: string): string {
  return new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`).toString();
}

export class Target {
  constructor(
    readonly baseUrl: string,
    private readonly validator: MessageValidator,
    private readonly requestTimeoutMs: number,
    /** The CLI's preflight saw the target answer (DPE_PREFLIGHT=passed): a missing answer is then judged. */
    private readonly judgeSilence = false,
    /** The connections requests go over (a load's bounded pool); default: fetch's own. */
    private readonly dispatcher?: Dispatcher,
  ) {}

  private noAnswer(what: string, entry: TraceEntry): Error {
    return this.judgeSilence
      ? new TargetStoppedAnswering(`${what} (the target answered the preflight, then stopped answering)`, [entry])
      : new TargetError(what);
  }

  /** One request through the binding; the wait for its answer is entered in the trace's wait ledger. */
  async post(path: string, body: unknown, trace: Trace, o: SendOptions): Promise<Answer> {
    const t = trace.waits.start();
    try {
      return await this.exchange(path, body, trace, o);
    } finally {
      trace.waits.end('answer', t);
    }
  }

  private async exchange(path: string, body: unknown, trace: Trace, o: SendOptions): Promise<Answer> {
    const url = targetUrl(this.baseUrl, path);
    const timeoutMs = o.timeoutMs ?? this.requestTimeoutMs;
    const messageType = messageTypeOf(body) ?? (o.raw !== undefined ? '(raw body)' : path);
    trace.add({
      from: o.from,
      to: 'DPE Server',
      kind: 'request',
      messageType,
      body: o.tracedBody ?? o.raw ?? body,
      headers: o.headers,
      problems: [],
    });
    let res: Response;
    try {
      const text = o.raw ?? JSON.stringify(body);
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': o.contentType ?? 'application/json', ...o.headers },
        // a stream body goes out chunked (fetch needs duplex for it)
        ...(o.chunked ? { body: chunkedBody(text), duplex: 'half' } : { body: text }),
        signal: AbortSignal.timeout(timeoutMs),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      } as RequestInit);
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      const why =
        (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${(e as Error).message}${cause ? ` (${cause})` : ''}`;
      const entry = trace.add({
        from: 'DPE Server',
        to: o.from,
        kind: 'answer',
        messageType: 'no answer',
        body: null,
        problems: [],
        note: why,
      });
      if (o.mayBeCutOff && (e as Error).name !== 'TimeoutError') return { status: 0, body: null, problems: [], cutOff: why };
      throw this.noAnswer(`${messageType} to ${url}: ${why}`, entry);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      // the connection broke or stalled mid-answer: a verdict on the target, not a harness error
      const why =
        (e as Error).name === 'TimeoutError' ? `answer not complete within ${timeoutMs} ms` : `answer cut off: ${(e as Error).message}`;
      const entry = trace.add({
        from: 'DPE Server',
        to: o.from,
        kind: 'answer',
        messageType: 'no answer',
        status: res.status,
        body: null,
        problems: [],
        note: why,
      });
      throw this.noAnswer(`${messageType} to ${url}: ${why}`, entry);
    }
    let parsed: unknown = text;
    let problems: Problem[] = [];
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        problems = [
          { code: 'MALFORMED', message: o.answerKey ?? 'answer', clause: 'binding', detail: `answer is not JSON: ${text.slice(0, 120)}` },
        ];
      }
    }
    if (!problems.length && o.answerKey && res.status === 200) {
      problems = this.validator.check(parsed, 'server-to-sp', o.answerKey).problems;
    }
    const answerType = messageTypeOf(parsed) ?? (isErrorBody(parsed) ? `Error ${parsed.Error.Code}` : `HTTP ${res.status}`);
    trace.add({ from: 'DPE Server', to: o.from, kind: 'answer', messageType: answerType, status: res.status, body: parsed, problems });
    return { status: res.status, body: parsed, problems };
  }
}

export function isErrorBody(b: unknown): b is { Error: { Code: string; IE?: string; Detail?: string } } {
  const e = (b as { Error?: unknown } | null)?.Error as Record<string, unknown> | undefined;
  return typeof e === 'object' && e !== null && typeof e.Code === 'string';
}
