/** Legal variants: freedoms the change request or the binding leave open; each must pass the suite. */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  releaseAllGroups,
  releaseAllPolicies,
  setDefinedGroupPolicies,
  setDefinedGroups,
  setDefinedPropertyPolicies,
} from '../procedures/device-change';
import {
  type Variant,
  steps,
  withoutStep,
  mapReports,
  mapOutbound,
  isReport,
  withExtraIes,
  delayedDelivery,
  procedureOnUnchanged,
} from './seam-tools';

export const LEGAL: Variant[] = [
  {
    name: 'delayed-delivery',
    kind: 'legal',
    breaks: [],
    // one policy: every scenario now waits for its own late messages, so this run is long
    policies: ['per-user-and-device'],
    description: 'delivers every server-initiated message after a random delay of up to 70% of the delivery deadline (binding: timing)',
    seams: (d, o) => delayedDelivery(d, o, 0.7),
  },
  {
    name: 'resends-sets-on-unchanged-registration',
    kind: 'legal',
    breaks: [],
    description: "re-sends the user's defined groups and policies (no releases) on a re-registration with nothing changed: revalidation (8.1.1, E13)",
    seams: procedureOnUnchanged((isRelease) => !isRelease),
  },
  {
    name: 'uuid-client-ids',
    kind: 'legal',
    breaks: [],
    description: 'Client IDs are UUIDs (6.1 fixes no format)',
    seams: () => ({ mintClientId: () => randomUUID() }),
  },
  {
    name: 'long-opaque-client-ids',
    kind: 'legal',
    breaks: [],
    description: 'Client IDs are opaque strings of some 170 characters with punctuation',
    seams: () => ({ mintClientId: (n) => `${randomBytes(120).toString('base64url')}.${n}~${randomBytes(3).toString('hex')}` }),
  },
  {
    name: 'extra-ies-everywhere',
    kind: 'legal',
    breaks: [],
    description: 'adds unknown IEs to every message it sends and every answer (a receiver ignores IEs it does not know)',
    seams: (d) => ({
      deliver: (x, send) => d.deliver({ ...x, body: withExtraIes(x.body) as Record<string, unknown> }, send),
      registrationAnswer: (req, cid) => {
        const a = d.registrationAnswer(req, cid);
        return { ...a, body: withExtraIes(a.body) };
      },
      queryAnswer: (req, ids) => {
        const a = d.queryAnswer(req, ids);
        return { ...a, body: withExtraIes(a.body) };
      },
    }),
  },
  {
    name: 'policy-release-first',
    kind: 'legal',
    breaks: [],
    description: 'releases the policies before the groups (8.2.2 does not order the two releases)',
    seams: steps(releaseAllPolicies, releaseAllGroups, setDefinedGroups, setDefinedPropertyPolicies, setDefinedGroupPolicies),
  },
  {
    name: 'group-policies-right-after-groups',
    kind: 'legal',
    breaks: [],
    description: 'sends group policies before property policies (only group-before-its-policy is fixed)',
    seams: steps(releaseAllGroups, releaseAllPolicies, setDefinedGroups, setDefinedGroupPolicies, setDefinedPropertyPolicies),
  },

  {
    name: 'report-without-replaces',
    kind: 'legal',
    breaks: [],
    description: 'leaves the optional Replaces-Client-ID out of every report (6.3.7: optional)',
    seams: mapReports((r) => {
      const { ['Replaces-Client-ID']: _r, ...body } = r.body;
      return { ...r, body };
    }),
  },
  {
    name: 'returning-user-gets-old-id',
    kind: 'legal',
    breaks: [],
    policies: ['per-user-and-device'],
    description: 'per-user-and-device: a user back on a device gets the Client ID that pairing had before (E09)',
    seams: (d) => {
      const pairs = new Map<string, string>();
      return {
        assigners: {
          ...d.assigners,
          'per-user-and-device': (a) => {
            const key = `${a.user ?? ''}\u0000${a.device}`;
            const old = pairs.get(key);
            const id = a.deviceChange && old && !a.state.deviceByClientId(old) ? old : d.assigners['per-user-and-device'](a);
            pairs.set(key, id);
            return id;
          },
        },
      };
    },
  },
  {
    name: 'random-report-message-ids',
    kind: 'legal',
    breaks: [],
    description: 'report Message-IDs are unique random integers, not a sequence',
    seams: (d) => {
      const used = new Set<number>();
      return {
        deliver: (x, send) => {
          if (!isReport(x)) return d.deliver(x, send);
          let id: number;
          do id = 1 + Math.floor(Math.random() * 2 ** 40);
          while (used.has(id));
          used.add(id);
          d.deliver({ ...x, body: { ...x.body, 'Message-ID': id } }, send);
        },
      };
    },
  },
  {
    name: 'uuid-client-message-ids',
    kind: 'legal',
    breaks: [],
    description: 'server-to-client Message-IDs are UUIDs; content type carries a charset parameter',
    seams: mapOutbound((x) =>
      isReport(x)
        ? { ...x, headers: { ...x.headers, 'content-type': 'application/json; charset=utf-8' } }
        : { ...x, headers: { ...x.headers, 'content-type': 'application/json; charset=utf-8' }, body: { ...x.body, 'Message-ID': randomUUID() } },
    ),
  },
  {
    name: 'reversed-id-order',
    kind: 'legal',
    breaks: [],
    description: 'lists Client-ID bags (query answers and reports) newest first (a bag has no order)',
    seams: (d) => ({
      queryClientIds: (state, user) => [...d.queryClientIds(state, user)].reverse(),
      ...mapReports((r) => ({ ...r, body: { ...r.body, 'Client-ID': r.body['Client-ID'] ? [...r.body['Client-ID']].reverse() : null } }))(d),
    }),
  },
  {
    name: 'error-detail-wording',
    kind: 'legal',
    breaks: [],
    policies: ['per-user-and-device'],
    description: 'words the Detail of error answers its own way and adds a vendor field (binding fixes Code and IE only)',
    seams: () => ({
      errorAnswer: (e) => ({
        status: e.status,
        body: { Error: { Code: e.code, ...(e.ie ? { IE: e.ie } : {}), Detail: `rejected (${e.code.toLowerCase()})`, Vendor: 'acme' } },
      }),
    }),
  },
  {
    name: 'restores-subset',
    kind: 'legal',
    breaks: [],
    ics: { restoredSettings: 'subset' },
    description: 'restores only groups and property policies on a device change, declaring restoredSettings subset (E26)',
    seams: withoutStep(setDefinedGroupPolicies.name),
  },
  {
    name: 'no-null-user-reports',
    kind: 'legal',
    breaks: [],
    ics: { nullUserReports: false },
    description: 'sends no report with User-Identity null, declaring nullUserReports false',
  },
  {
    name: 'no-network-identities',
    kind: 'legal',
    breaks: [],
    policies: ['per-user-and-device'],
    ics: { networkIdentityHeaders: false },
    description: 'takes identities only from the request IEs, declaring networkIdentityHeaders false',
  },
  {
    name: 'no-upper-tester-endpoints',
    kind: 'legal',
    breaks: [],
    policies: ['per-user-and-device'],
    ics: { provisioningEndpoint: false, serverDrivenRegistration: false },
    description: 'offers neither optional provisioning endpoint, and declares so',
  },


  {
    name: 'patient-retries',
    kind: 'legal',
    breaks: [],
    policies: ['per-user-and-device'],
    options: { delivery: { maxAttempts: 8, retryBackoffMs: 5 } },
    description: 'retries undelivered messages more often, with a shorter backoff (the binding fixes neither)',
  },
];
