/**
 * Hand-built load histories for the invariant checker's tests (test/unit/load-invariants.test.ts):
 * a builder that writes the entries a load run records — requests, answers, messages the target
 * sends — with the shapes the mocks and the target's client give them (mocks/device.ts,
 * mocks/service-provider.ts, src/harness/target.ts, mocks/network.ts).
 */
import type { Problem } from '../../../src/catalog/validate';
import type { HistoryEntry, LoadHistory, Roster } from '../../../src/load/history';
import type { Unattributed } from '../../../mocks/parties';

export const ALICE = 'tel:+15550000001';
export const BOB = 'tel:+15550000002';
export const CAROL = 'sip:carol@dpe-test.invalid';

export const SPS = [
  { alias: 'maps', name: 'maps provider' },
  { alias: 'music', name: 'music provider' },
];

/** One cohort "c1" with phones A, B, C and users Alice, Bob (SIMs) and Carol (SIP); a second cohort "c2" with phone Z and Zoe. */
export function roster(): Roster {
  return {
    devices: [
      { name: 'phone A', cohort: 'c1', imei: '350000000000001' },
      { name: 'phone B', cohort: 'c1', imei: '350000000000002' },
      { name: 'phone C', cohort: 'c1', imei: '350000000000003' },
      { name: 'phone Z', cohort: 'c2', imei: '350000000000009' },
    ],
    users: [
      { name: 'Alice', cohort: 'c1', identity: ALICE, kind: 'sim' },
      { name: 'Bob', cohort: 'c1', identity: BOB, kind: 'sim' },
      { name: 'Carol', cohort: 'c1', identity: CAROL, kind: 'sip' },
      { name: 'Zoe', cohort: 'c2', identity: 'tel:+15550000009', kind: 'sim' },
    ],
    sps: SPS,
  };
}

const cohortOf = (party: string) => (party === 'phone Z' ? 'c2' : 'c1');

export class HistoryBuilder {
  readonly entries: HistoryEntry[] = [];
  readonly unattributed: Unattributed[] = [];
  private readonly seqs = new Map<string, number>();
  private messageIds = 0;
  /** The Client ID each phone holds (labels of what the server sends it). */
  readonly held = new Map<string, string>();

  private add(
    cohort: string,
    e: Omit<HistoryEntry, 'seq' | 'at' | 'g' | 't' | 'cohort' | 'problems'> & { problems?: Problem[] },
  ): HistoryEntry {
    const seq = (this.seqs.get(cohort) ?? 0) + 1;
    this.seqs.set(cohort, seq);
    const g = this.entries.length + 1;
    const entry: HistoryEntry = { problems: [], ...e, seq, at: g, g, t: g, cohort };
    this.entries.push(entry);
    return entry;
  }

  history(): LoadHistory {
    return { roster: roster(), entries: this.entries, unattributed: this.unattributed };
  }

  /** A registration of `phone` carrying `identity`, answered with `clientId` (status 200), or `answer` as given. */
  register(
    phone: string,
    identity: string | null,
    clientId: string,
    answer: { status?: number; body?: unknown; none?: string } = {},
  ): this {
    const id = `r-${++this.messageIds}`;
    const cohort = cohortOf(phone);
    this.add(cohort, {
      from: phone,
      to: 'DPE Server',
      kind: 'request',
      messageType: 'DPE_Registration_Request',
      body: {
        'Message-Type': 'DPE_Registration_Request',
        'Message-ID': id,
        ...(identity ? { 'User-Identity': identity } : {}),
        'Device-Identity': phone,
        'Notify-URI': `http://127.0.0.1:1/clients/${cohort}/${phone}`,
      },
      headers: {},
    });
    if (answer.none) {
      this.add(cohort, { from: 'DPE Server', to: phone, kind: 'answer', messageType: 'no answer', body: null, note: answer.none });
      return this;
    }
    const body = answer.body ?? { 'Message-Type': 'DPE_Registration_Response', 'Message-ID': id, 'Client-ID': clientId };
    const status = answer.status ?? 200;
    this.add(cohort, {
      from: 'DPE Server',
      to: phone,
      kind: 'answer',
      messageType: status === 200 ? 'DPE_Registration_Response' : `HTTP ${status}`,
      status,
      body,
    });
    if (status === 200) this.held.set(phone, clientId);
    return this;
  }

  /** A message the target sends `phone`, labelled with the Client ID it holds (or `label`). */
  toPhone(phone: string, message: Record<string, unknown>, o: { label?: string; problems?: Problem[] } = {}): this {
    const label = o.label ?? this.held.get(phone);
    this.add(cohortOf(phone), {
      from: 'DPE Server',
      to: phone,
      kind: 'notify',
      messageType: String(message['Message-Type']),
      body: { 'Message-ID': `m-${++this.messageIds}`, ...message },
      headers: label ? { 'DPE-Client-ID': label } : {},
      ...(o.problems ? { problems: o.problems } : {}),
    });
    return this;
  }

  /** The last message the target sent `phone`, delivered again unchanged (a retry of at-least-once delivery). */
  again(phone: string): this {
    const last = [...this.entries].reverse().find((e) => e.kind === 'notify' && e.to === phone);
    if (!last) throw new Error(`nothing was sent to ${phone}`);
    this.add(last.cohort, {
      from: last.from,
      to: last.to,
      kind: 'notify',
      messageType: last.messageType,
      body: last.body,
      headers: last.headers ?? {},
    });
    return this;
  }

  /** The two "*" releases of a device change. */
  releases(phone: string): this {
    return this.toPhone(phone, { 'Message-Type': 'DPE_Group_Release', Group_ID: '*' }).toPhone(phone, {
      'Message-Type': 'DPE_Policy_Release',
      'Policy-ID': '*',
    });
  }

  group(phone: string, groupId: string, properties: string[]): this {
    return this.toPhone(phone, { 'Message-Type': 'DPE_Group_Set', 'Group-ID': groupId, Properties: properties });
  }

  /** An SP defines a group for a user (answered 204, or `status`). */
  defineGroup(sp: string, identity: string, groupId: string, properties: string[], status = 204, cohort = 'c1'): this {
    this.add(cohort, {
      from: `${sp} provider`,
      to: 'DPE Server',
      kind: 'request',
      messageType: 'DPE_Group_Set',
      body: {
        'Message-Type': 'DPE_Group_Set',
        'Message-ID': ++this.messageIds,
        'User-Identity': identity,
        'Group-ID': groupId,
        Properties: properties,
      },
      headers: { Authorization: 'Bearer x' },
    });
    this.add(cohort, { from: 'DPE Server', to: `${sp} provider`, kind: 'answer', messageType: `HTTP ${status}`, status, body: '' });
    return this;
  }

  /** An SP asks for a user's Client IDs and is answered `clientIds`. */
  query(sp: string, identity: string, clientIds: string[] | null, cohort = 'c1'): this {
    const id = ++this.messageIds;
    this.add(cohort, {
      from: `${sp} provider`,
      to: 'DPE Server',
      kind: 'request',
      messageType: 'DPE_Client_ID_Query',
      body: { 'Message-Type': 'DPE_Client_ID_Query', 'Message-ID': id, 'Query-Key': identity },
      headers: { Authorization: 'Bearer x' },
    });
    this.add(cohort, {
      from: 'DPE Server',
      to: `${sp} provider`,
      kind: 'answer',
      messageType: 'DPE_Client_ID_Response',
      status: 200,
      body: { 'Message-Type': 'DPE_Client_ID_Response', 'Message-ID': id, 'Client-ID': clientIds },
    });
    return this;
  }

  /** A DPE_Client_ID_Report the target sends an SP. */
  report(
    sp: string,
    identity: string | null,
    clientIds: string[] | null,
    o: { replaces?: string[]; messageId?: number; cohort?: string } = {},
  ): this {
    const body = {
      'Message-Type': 'DPE_Client_ID_Report',
      'Message-ID': o.messageId ?? ++this.messageIds,
      'User-Identity': identity === null ? null : [identity],
      'Client-ID': clientIds,
      ...(o.replaces ? { 'Replaces-Client-ID': o.replaces } : {}),
    };
    this.add(o.cohort ?? 'c1', {
      from: 'DPE Server',
      to: `${sp} provider`,
      kind: 'notify',
      messageType: 'DPE_Client_ID_Report',
      body,
      answered: 204,
    });
    return this;
  }
}
