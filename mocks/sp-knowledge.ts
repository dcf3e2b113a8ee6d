/**
 * What a Service Provider has been told: every DPE_Client_ID_Report it accepted, de-duplicated
 * by Message-ID as the binding asks of an SP, in arrival order. The latest report about a user
 * is what the SP now believes of that user's Client IDs; the 8.2.3 / 6.3.7 checks compare it
 * with the harness's own model of the truth once the scenario has settled, so a stale report
 * that follows a correct one is caught.
 */
import type { Received } from '../src/catalog/protocol';
import { IE, MESSAGE_TYPE, received } from '../src/catalog/protocol';

export interface ToldReport {
  /** seq of the trace entry of its first delivery. */
  seq: number;
  messageId: unknown;
  /** User-Identity: null for a Client ID left without a user. */
  users: string[] | null;
  /** Client-ID: null when the user has no Client ID any more. */
  clientIds: string[] | null;
  replaces?: string[];
  body: Received<'DPE_Client_ID_Report'>;
}

export interface KnowledgeProblem {
  seq: number;
  requirement: string;
  message: string;
}

const bag = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);

export class SpKnowledge {
  readonly reports: ToldReport[] = [];
  readonly problems: KnowledgeProblem[] = [];

  constructor(readonly spName: string) {}

  /** A report the SP accepted (answered 2xx); a refused delivery is not knowledge. */
  apply(body: unknown, seq: number): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
    const b = received('DPE_Client_ID_Report', body);
    if (b[MESSAGE_TYPE] !== 'DPE_Client_ID_Report') return;
    const id = b[IE.MessageID];
    const earlier = this.reports.find((r) => r.messageId === id);
    if (earlier) {
      // a retry repeats the report unchanged; anything else re-uses a Message-ID (binding)
      if (JSON.stringify(earlier.body) !== JSON.stringify(b)) {
        this.problems.push({
          seq,
          requirement: 'cid.report-message-id-unique',
          message: `DPE_Client_ID_Report #${seq} to the ${this.spName} says something else than #${earlier.seq} under the same Message-ID ${JSON.stringify(id)}, so the SP drops it as a duplicate`,
        });
      }
      return;
    }
    const replaces = bag(b[IE.ReplacesClientID]);
    this.reports.push({
      seq,
      messageId: id,
      users: bag(b[IE.UserIdentity]),
      clientIds: bag(b[IE.ClientID]),
      ...(replaces ? { replaces } : {}),
      body: b,
    });
  }

  about(user: string): ToldReport[] {
    return this.reports.filter((r) => r.users?.includes(user));
  }

  /** What the SP believes of `user` now: the last report about the user that it accepted. */
  latestAbout(user: string): ToldReport | undefined {
    return this.about(user).at(-1);
  }

  /** Every user identity any report named. */
  usersNamed(): Set<string> {
    return new Set(this.reports.flatMap((r) => r.users ?? []));
  }

  /** Reports that say a Client ID has no user (User-Identity null). */
  userless(): ToldReport[] {
    return this.reports.filter((r) => r.users === null);
  }
}
