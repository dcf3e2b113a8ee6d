/** Faulty servers: each breaks the requirement(s) it names, through one seam, and nothing else. */
import type { ClientIdPolicy } from '../../config/ics';
import { ASSIGNERS } from '../client-id-policy';
import {
  releaseAllGroups,
  releaseAllPolicies,
  setDefinedGroupPolicies,
  setDefinedGroups,
  setDefinedPropertyPolicies,
  type ClientMessage,
} from '../procedures/device-change';
import { DpeError } from '../errors';
import { isSingleDeviceUser } from '../identity';
import { register as referenceRegister } from '../procedures/registration';
import type { ReportBody } from '../procedures/client-id-change';
import {
  type Variant,
  RELEASE_TYPES,
  REPORT,
  steps,
  withoutStep,
  replaceStep,
  mapReports,
  reportUser,
  mapOutbound,
  isReport,
  wrapRegister,
  detach,
  forwardedFor,
  newIdOnly,
  procedureOnUnchanged,
} from './seam-tools';

export const MUTANTS: Variant[] = [
  // ---- 6.1 / 8.1.1 registration
  {
    name: 'rejects-unsolicited-reregistration',
    kind: 'mutant',
    breaks: ['reg.client-driven'],
    description: 'accepts a device once; a later registration the client starts itself (not after a trigger) is rejected',
    seams: (d) => {
      const triggered = new Set<string>();
      return {
        deliver: (x, send) => {
          const cid = x.headers['DPE-Client-ID'];
          if (x.body['Message-Type'] === 'DPE_Registration_Trigger' && cid) triggered.add(cid);
          d.deliver(x, send);
        },
        validate: (body, direction, ctx) => {
          const def = d.validate(body, direction, ctx);
          const device = body['Device-Identity'];
          const cid = body['Client-ID'];
          if (direction === 'client-to-server' && typeof device === 'string' && ctx.state.device(device)) {
            if (typeof cid !== 'string' || !triggered.delete(cid)) {
              throw new DpeError('INVALID_IE', 'DPE_Registration_Request: this device is registered; it re-registers only when triggered', 'Client-ID');
            }
          }
          return def;
        },
      };
    },
  },
  {
    name: 'multi-device-user-shares-client-id',
    kind: 'mutant',
    breaks: ['reg.client-id-unique'],
    policies: ['per-user-and-device'],
    description: "gives a multi-device user's new device the Client ID the user's earlier device still holds",
    seams: (d) => ({
      assigners: {
        ...d.assigners,
        'per-user-and-device': (a) => {
          const other = a.user ? a.state.clientIdsOf(a.user)[0] : undefined;
          return a.deviceChange && other ? other : d.assigners['per-user-and-device'](a);
        },
      },
    }),
  },
  {
    name: 'previous-user-keeps-device',
    kind: 'mutant',
    breaks: ['policy.per-device.previous-user-loses-id'],
    description: "per-device: when another user registers on a device, the device's previous user stays associated with it",
    seams: wrapRegister((out, state, ids, was) => {
      const prev = was.deviceUser;
      if (prev && prev !== ids.user) {
        state.link(prev, ids.device);
        out.affectedUsers = [...new Set([...out.affectedUsers, prev])];
      }
      return out;
    }),
  },
  {
    name: 'registration-answer-without-client-id',
    kind: 'mutant',
    breaks: ['reg.response-client-id'],
    description: 'answers a valid registration 200 but leaves the Client-ID IE out of DPE_Registration_Response',
    seams: (d) => ({
      registrationAnswer: (req, cid) => {
        const a = d.registrationAnswer(req, cid);
        const { ['Client-ID']: _dropped, ...body } = a.body as Record<string, unknown>;
        return { ...a, body };
      },
    }),
  },
  {
    name: 'forgets-user-association',
    kind: 'mutant',
    breaks: ['reg.retain-association'],
    description: 'keeps the device and its Client ID but not which user uses it',
    seams: wrapRegister((out, state, ids) => {
      if (ids.user) state.unlink(ids.user, ids.device);
      return out;
    }),
  },
  {
    name: 'ignores-user-identity-ie',
    kind: 'mutant',
    breaks: ['reg.identity-from-request'],
    description: 'takes the user identity only from the network header, never from the User-Identity IE',
    seams: (d) => ({
      identity: (body, headers, opts) => {
        const { ['User-Identity']: _ignored, ...rest } = body;
        return d.identity(rest, headers, opts);
      },
    }),
  },
  {
    name: 'requires-both-identities',
    kind: 'mutant',
    breaks: ['reg.single-identity-accepted'],
    ics: { errata: { E17: 'strict' } },
    description: 'rejects a registration from which only one identity can be determined (MISSING_IDENTITY)',
    seams: (d) => ({
      identity: (body, headers, opts) => {
        const ids = d.identity(body, headers, opts);
        if (!ids.user) throw new DpeError('MISSING_IDENTITY', 'DPE_Registration_Request: no user identity', 'User-Identity');
        return ids;
      },
    }),
  },
  {
    name: 'ip-address-part-of-device-identity',
    kind: 'mutant',
    breaks: ['reg.ip-change-not-device-change'],
    description: 'keys devices by device identity plus source IP address, so a new IP address looks like a new device',
    seams: (d) => ({
      identity: (body, headers, opts) => {
        const ids = d.identity(body, headers, opts);
        const ip = forwardedFor(headers);
        return ip ? { ...ids, device: `${ids.device}@${ip}` } : ids;
      },
    }),
  },
  {
    name: 'merges-devices-behind-one-ip',
    kind: 'mutant',
    breaks: ['reg.shared-ip-distinct-devices'],
    description: 'a NAT-binding cache: a second device registering from an IP address already seen is taken for the first',
    seams: (d) => {
      const byIp = new Map<string, string>();
      return {
        identity: (body, headers, opts) => {
          const ids = d.identity(body, headers, opts);
          const ip = forwardedFor(headers);
          if (!ip) return ids;
          if (!byIp.has(ip)) byIp.set(ip, ids.device);
          return { ...ids, device: byIp.get(ip)! };
        },
      };
    },
  },
  {
    name: 'registration-message-id-not-echoed',
    kind: 'mutant',
    breaks: ['reg.response-echoes-message-id'],
    description: "DPE_Registration_Response carries the server's own Message-ID instead of the request's",
    seams: (d) => {
      let n = 0;
      return { registrationAnswer: (req, cid) => d.registrationAnswer({ ...req, 'Message-ID': `srv-${++n}` }, cid) };
    },
  },
  {
    name: 'accepts-anonymous-registration',
    kind: 'mutant',
    breaks: ['reg.no-identity-rejected'],
    description: 'invents a device identity for a registration that carries no identity at all',
    seams: (d) => {
      let n = 0;
      return {
        identity: (body, headers, opts) => {
          try {
            return d.identity(body, headers, opts);
          } catch (e) {
            const none = body['User-Identity'] === undefined && body['Device-Identity'] === undefined;
            if (e instanceof DpeError && e.code === 'MISSING_IDENTITY' && none) return { user: null, device: `anonymous-${++n}` };
            throw e;
          }
        },
      };
    },
  },
  {
    name: 'network-header-over-ie',
    kind: 'mutant',
    breaks: ['reg.identity-ie-over-header'],
    description: 'prefers the X-DPE-*-Identity network headers to the identities in the request',
    seams: (d) => ({
      identity: (body, headers, opts) => {
        const h = (k: string) => (typeof headers[k] === 'string' && (headers[k] as string).trim()) || undefined;
        const b = { ...body };
        const user = h('x-dpe-user-identity');
        const device = h('x-dpe-device-identity');
        if (user) b['User-Identity'] = user;
        if (device) b['Device-Identity'] = device;
        return d.identity(b, headers, opts);
      },
    }),
  },

  // ---- 8.2.2 which registrations are device changes
  {
    name: 'sim-move-not-device-change',
    kind: 'mutant',
    breaks: ['dc.usecase.sim-move'],
    description: "a SIM registering from another device than the one it was on gets a Client ID but no releases or sets",
    seams: wrapRegister((out, _s, ids, was) => {
      const moved = ids.user && isSingleDeviceUser(ids.user) && was.userDevices.some((x) => x !== ids.device);
      return moved ? { ...out, deviceChange: false } : out;
    }),
  },
  {
    name: 'identity-change-not-device-change',
    kind: 'mutant',
    breaks: ['dc.usecase.identity-change-same-device'],
    description: 'a known device registering with another user identity (not one moving from elsewhere) gets no releases or sets',
    seams: wrapRegister((out, _s, ids, was) => {
      const changed = was.deviceUser !== undefined && was.deviceUser !== null && was.deviceUser !== ids.user;
      const movedFromElsewhere = was.userDevices.some((x) => x !== ids.device);
      return changed && !movedFromElsewhere ? { ...out, deviceChange: false } : out;
    }),
  },
  {
    name: 'multi-device-new-device-not-device-change',
    kind: 'mutant',
    breaks: ['dc.usecase.multi-device-new-device'],
    description: "a SIP user's additional device gets a Client ID but no releases or sets",
    seams: wrapRegister((out, _s, ids, was) => {
      const added = ids.user && !isSingleDeviceUser(ids.user) && was.userDevices.length > 0 && !was.userDevices.includes(ids.device);
      return added ? { ...out, deviceChange: false } : out;
    }),
  },
  {
    name: 'first-registration-not-device-change',
    kind: 'mutant',
    breaks: ['dc.usecase.new-user-new-device'],
    description: 'the first registration of an unknown user on an unknown device gets no releases or sets (E24 read strictly)',
    seams: wrapRegister((out, _s, ids, was) =>
      was.deviceUser === undefined && was.userDevices.length === 0 && ids.user ? { ...out, deviceChange: false } : out,
    ),
  },
  {
    name: 'sip-user-treated-as-sim',
    kind: 'mutant',
    breaks: ['dc.multi-device.keeps-earlier'],
    description: "a SIP user's additional device replaces the earlier ones as if a SIM had moved",
    seams: wrapRegister((out, state, ids) => {
      if (ids.user && !isSingleDeviceUser(ids.user)) {
        for (const other of state.devicesOf(ids.user)) if (other !== ids.device) detach(state, ids.user, other);
      }
      return out;
    }),
  },
  {
    name: 'new-device-gets-previous-client-id',
    kind: 'mutant',
    breaks: ['dc.new-client-id'],
    policies: ['per-user-and-device'],
    description: "after a SIM move the new device is given the Client ID the user's previous device had",
    seams: wrapRegister((out, state, ids, was) => {
      const freed = was.userIds.find((id) => !state.deviceByClientId(id));
      if (!out.deviceChange || !freed) return out;
      state.setClientId(ids.device, freed);
      return { ...out, clientId: freed };
    }),
  },
  {
    name: 'releases-on-unchanged-registration',
    kind: 'mutant',
    breaks: ['dc.unchanged-no-releases'],
    description: 'runs the device-change procedure (releases included) on a re-registration with nothing changed',
    seams: wrapRegister((out) => ({ ...out, deviceChange: true })),
  },

  // ---- 8.2.2 the procedure
  {
    name: 'no-group-release',
    kind: 'mutant',
    breaks: ['dc.release-groups'],
    description: 'skips DPE_Group_Release on a device change',
    seams: withoutStep(releaseAllGroups.name),
  },
  {
    name: 'no-policy-release',
    kind: 'mutant',
    breaks: ['dc.release-policies'],
    description: 'skips DPE_Policy_Release on a device change',
    seams: withoutStep(releaseAllPolicies.name),
  },
  {
    name: 'no-group-sets',
    kind: 'mutant',
    breaks: ['dc.set-groups'],
    description: 'does not restore the defined property groups on a device change',
    seams: withoutStep(setDefinedGroups.name),
  },
  {
    name: 'no-property-policy-sets',
    kind: 'mutant',
    breaks: ['dc.set-property-policies'],
    description: 'does not restore the defined property reporting policies on a device change',
    seams: withoutStep(setDefinedPropertyPolicies.name),
  },
  {
    name: 'no-group-policy-sets',
    kind: 'mutant',
    breaks: ['dc.set-group-policies'],
    description: 'does not restore the defined group reporting policies on a device change',
    seams: withoutStep(setDefinedGroupPolicies.name),
  },
  {
    name: 'restores-server-default-group',
    kind: 'mutant',
    breaks: ['dc.sets-only-defined'],
    description: 'adds a group of its own choosing ("device-basics") to the sets of a device change',
    seams: (d) => ({
      deviceChangeSteps: [
        ...d.deviceChangeSteps,
        {
          name: 'set-server-defaults',
          rule: '(fault) a group no SP defined',
          requirement: 'dc.sets-only-defined',
          messages: (): ClientMessage[] => [{ 'Message-Type': 'DPE_Group_Set', 'Group-ID': 'device-basics', Properties: ['model'] }],
        },
      ],
    }),
  },
  {
    name: 'sets-before-releases',
    kind: 'mutant',
    breaks: ['dc.order-releases-first'],
    description: 'sends the sets of a device change before the releases',
    seams: steps(setDefinedGroups, setDefinedPropertyPolicies, setDefinedGroupPolicies, releaseAllGroups, releaseAllPolicies),
  },
  {
    name: 'group-policy-before-its-group',
    kind: 'mutant',
    breaks: ['dc.order-group-before-policy'],
    description: 'sends the group reporting policies before the groups they name',
    seams: steps(releaseAllGroups, releaseAllPolicies, setDefinedGroupPolicies, setDefinedGroups, setDefinedPropertyPolicies),
  },
  {
    name: 'device-change-unlabelled',
    kind: 'mutant',
    breaks: ['dc.addressed-to-current-client'],
    description: 'sends the releases and sets of a device change without the DPE-Client-ID label',
    seams: (d) => {
      const inChange = new Set<string>();
      return {
        deliver: (x, send) => {
          // the messages of one device change leave in one synchronous batch, releases first
          if (RELEASE_TYPES.has(x.body['Message-Type'] as string) && !inChange.has(x.url)) {
            inChange.add(x.url);
            queueMicrotask(() => inChange.delete(x.url));
          }
          if (!inChange.has(x.url)) return d.deliver(x, send);
          const { ['DPE-Client-ID']: _label, ...headers } = x.headers;
          d.deliver({ ...x, headers }, send);
        },
      };
    },
  },
  {
    name: 'device-change-also-to-previous-device',
    kind: 'mutant',
    breaks: ['dc.previous-device-no-settings'],
    description: "also sends the releases and sets of a SIM move to the device the SIM left",
    seams: (d) => {
      const previous = new Map<string, { url: string; clientId: string }>();
      const inChange = new Set<string>();
      return {
        register: (state, ids, notifyUri, assign, newId) => {
          const left = ids.user ? state.devicesOf(ids.user).filter((x) => x !== ids.device).map((x) => state.device(x)!) : [];
          const out = d.register(state, ids, notifyUri, assign, newId);
          const old = left.find((r) => r.notifyUri !== notifyUri);
          if (old && out.deviceChange) previous.set(notifyUri, { url: old.notifyUri, clientId: out.clientId });
          return out;
        },
        deliver: (x, send) => {
          d.deliver(x, send);
          if (RELEASE_TYPES.has(x.body['Message-Type'] as string) && previous.has(x.url) && !inChange.has(x.url)) {
            inChange.add(x.url);
            queueMicrotask(() => {
              inChange.delete(x.url);
              previous.delete(x.url);
            });
          }
          const old = inChange.has(x.url) ? previous.get(x.url) : undefined;
          if (old) d.deliver({ ...x, url: old.url }, send);
        },
      };
    },
  },

  {
    name: 'unchanged-registration-wipes-settings',
    kind: 'mutant',
    breaks: ['dc.unchanged-keeps-settings'],
    description: 'on a re-registration with nothing changed, releases all groups and policies and sets nothing back',
    seams: procedureOnUnchanged((isRelease) => isRelease),
  },
  {
    name: 'late-stray-group-release',
    kind: 'mutant',
    breaks: ['dc.set-groups'],
    description: 'some 300 ms after a device change, sends the client one more DPE_Group_Release "*", wiping the groups it restored',
    seams: (d) => {
      const armed = new Set<string>();
      return {
        deliver: (x, send) => {
          d.deliver(x, send);
          if (x.body['Message-Type'] !== 'DPE_Group_Release' || armed.has(x.url)) return;
          armed.add(x.url);
          setTimeout(() => {
            armed.delete(x.url);
            d.deliver({ ...x, body: { ...x.body, 'Message-ID': `${String(x.body['Message-ID'])}-late` } }, send);
          }, 300).unref();
        },
      };
    },
  },
  {
    name: 'releases-twice',
    kind: 'mutant',
    breaks: ['dc.release-one-message'],
    description: 'sends each "*" release of a device change twice',
    seams: (d) => ({
      deliver: (x, send) => {
        d.deliver(x, send);
        if (RELEASE_TYPES.has(x.body['Message-Type'] as string)) d.deliver({ ...x, body: { ...x.body, 'Message-ID': `${String(x.body['Message-ID'])}-again` } }, send);
      },
    }),
  },
  {
    name: 'relay-also-to-previous-device',
    kind: 'mutant',
    breaks: ['sp.relay-current-only'],
    description: "relays what an SP defines for a user also to the devices the user's SIM was in before",
    seams: (d) => {
      const earlier = new Map<string, Map<string, { notifyUri: string; clientId: string }>>();
      return {
        register: (state, ids, notifyUri, assign, newId) => {
          const out = d.register(state, ids, notifyUri, assign, newId);
          if (ids.user) {
            const m = earlier.get(ids.user) ?? new Map();
            m.set(notifyUri, { notifyUri, clientId: out.clientId });
            earlier.set(ids.user, m);
          }
          return out;
        },
        relayTargets: (state, user) => {
          const now = d.relayTargets(state, user);
          const gone = [...(earlier.get(user)?.values() ?? [])].filter((e) => !now.some((r) => r.notifyUri === e.notifyUri));
          return [...now, ...gone.map((e) => ({ device: '(left)', user, notifyUri: e.notifyUri, clientId: e.clientId }))];
        },
      };
    },
  },

  // ---- SP settings (binding)
  {
    name: 'sp-set-not-relayed',
    kind: 'mutant',
    breaks: ['sp.set-relayed'],
    description: "stores an SP's group or policy but does not send it to the user's current devices",
    seams: () => ({ relayTargets: () => [] }),
  },
  {
    name: 'accepts-any-bearer-token',
    kind: 'mutant',
    breaks: ['sp.unauthorized-rejected'],
    description: 'takes a DPE-2 request with an unknown or missing token for the first onboarded SP',
    seams: (d) => ({
      authenticate: (state, token) => d.authenticate(state, token) ?? [...state.serviceProviders.values()][0],
    }),
  },

  // ---- 8.2.3 reports
  {
    name: 'no-report-on-replacement',
    kind: 'mutant',
    breaks: ['cid.report-on-change'],
    description: "reports a user's first Client ID, but not a Client ID that replaces another",
    seams: mapReports((r) => (r.body['Replaces-Client-ID'] ? null : r)),
  },
  {
    name: 'reports-to-every-sp',
    kind: 'mutant',
    breaks: ['cid.report-concerned-only'],
    description: 'sends every report to every onboarded SP, concerned with the user or not',
    seams: (d) => ({
      planReports: (state, before, after, opts) => {
        const bodies = [...new Set(d.planReports(state, before, after, opts).map((r) => r.body))];
        return bodies.flatMap((body) => [...state.serviceProviders.values()].map((sp) => ({ sp, body })));
      },
    }),
  },
  {
    name: 'no-first-association-report',
    kind: 'mutant',
    breaks: ['cid.report-first-association'],
    description: 'does not report the first Client ID a user obtains',
    seams: mapReports((r, before) => {
      const u = reportUser(r.body);
      return u !== undefined && (before.users.get(u) ?? []).length === 0 ? null : r;
    }),
  },
  {
    name: 'report-normalises-client-id',
    kind: 'mutant',
    breaks: ['cid.report-matches-registration'],
    description:
      'reports new Client IDs upper-cased, i.e. not as the registration response gave them (also makes them invalid: ' +
      'msg.client-id-report.ids-current cannot be kept apart)',
    seams: mapReports((r, before) => {
      const u = reportUser(r.body);
      const was = u ? (before.users.get(u) ?? []) : [];
      const ids = r.body['Client-ID']?.map((id) => (was.includes(id) ? id : id.toUpperCase())) ?? null;
      return { ...r, body: { ...r.body, 'Client-ID': ids } };
    }),
  },
  {
    name: 'report-when-nothing-changed',
    kind: 'mutant',
    breaks: ['cid.report-only-on-change'],
    policies: ['per-user-and-device'],
    description: 'reports the Client IDs of every user a registration touched, changed or not',
    seams: (d) => ({
      planReports: (state, before, after, opts) => {
        const planned = d.planReports(state, before, after, opts);
        for (const [user, was] of before.users) {
          const now = after.users.get(user) ?? [];
          if (!now.length || planned.some((r) => reportUser(r.body) === user)) continue;
          const body: ReportBody = { 'Message-Type': REPORT, 'User-Identity': [user], 'Client-ID': now };
          if (JSON.stringify(was) === JSON.stringify(now)) for (const sp of state.concernedWith(user)) planned.push({ sp, body });
        }
        return planned;
      },
    }),
  },
  {
    name: 'report-message-id-reused',
    kind: 'mutant',
    breaks: ['cid.report-message-id-unique'],
    description: 'gives every report the Message-ID 1',
    seams: mapOutbound((x) => (isReport(x) ? { ...x, body: { ...x.body, 'Message-ID': 1 } } : x)),
  },
  {
    name: 'report-retry-new-message-id',
    kind: 'mutant',
    breaks: ['cid.report-retry-keeps-message-id'],
    description: 'gives a report a new Message-ID on every retry',
    seams: () => ({
      deliveryAttempt: (x, attempt) =>
        isReport(x) && attempt > 1 ? { ...x, body: { ...x.body, 'Message-ID': (x.body['Message-ID'] as number) + 1_000_000 * (attempt - 1) } } : x,
    }),
  },
  {
    name: 'report-not-retried',
    kind: 'mutant',
    breaks: ['cid.report-retry-keeps-message-id'],
    description: 'gives up a report after one attempt the SP did not accept',
    options: { delivery: { maxAttempts: 1 } },
  },

  // ---- 6.2.3.3 / 6.2.6.1 releases
  {
    name: 'group-release-hyphenated-ie',
    kind: 'mutant',
    breaks: ['msg.group-release.ies'],
    description: 'spells the IE of DPE_Group_Release "Group-ID" instead of "Group_ID" (E01)',
    seams: replaceStep(releaseAllGroups.name, { ...releaseAllGroups, messages: () => [{ 'Message-Type': 'DPE_Group_Release', 'Group-ID': '*' }] }),
  },
  {
    name: 'group-release-lists-groups',
    kind: 'mutant',
    breaks: ['msg.group-release.wildcard'],
    description: 'releases the defined groups one by one instead of with "*"',
    seams: replaceStep(releaseAllGroups.name, {
      ...releaseAllGroups,
      messages: (s) => [...(s?.groups.keys() ?? [])].map((g) => ({ 'Message-Type': 'DPE_Group_Release', Group_ID: g })),
    }),
  },
  {
    name: 'policy-release-underscored-ie',
    kind: 'mutant',
    breaks: ['msg.policy-release.ies'],
    description: 'spells the IE of DPE_Policy_Release "Policy_ID" as in the 6.2.6.1 signature (E02)',
    seams: replaceStep(releaseAllPolicies.name, { ...releaseAllPolicies, messages: () => [{ 'Message-Type': 'DPE_Policy_Release', Policy_ID: '*' }] }),
  },
  {
    name: 'policy-release-lists-policies',
    kind: 'mutant',
    breaks: ['msg.policy-release.wildcard'],
    description: 'releases the defined policies one by one instead of with "*"',
    seams: replaceStep(releaseAllPolicies.name, {
      ...releaseAllPolicies,
      messages: (s) =>
        [...(s?.propertyPolicies.keys() ?? []), ...(s?.groupPolicies.keys() ?? [])].map((p) => ({ 'Message-Type': 'DPE_Policy_Release', 'Policy-ID': p })),
    }),
  },

  // ---- 6.3.6.2 query and response
  {
    name: 'query-accepted-not-answered',
    kind: 'mutant',
    breaks: ['query.answered'],
    description: 'answers DPE_Client_ID_Query 202 with no DPE_Client_ID_Response',
    seams: () => ({ queryAnswer: () => ({ status: 202 }) }),
  },
  {
    name: 'response-type-from-table',
    kind: 'mutant',
    breaks: ['msg.client-id-response.ies'],
    description: 'gives the response the Message-Type DPE_Client_ID_Query, as the 6.3.6.2 table misprints it (E03)',
    seams: (d) => ({
      queryAnswer: (req, ids) => {
        const a = d.queryAnswer(req, ids);
        return { ...a, body: { ...(a.body as object), 'Message-Type': 'DPE_Client_ID_Query' } };
      },
    }),
  },
  {
    name: 'response-message-id-not-echoed',
    kind: 'mutant',
    breaks: ['msg.client-id-response.echo-message-id'],
    description: "answers with the server's own Message-ID",
    seams: (d) => {
      let n = 0;
      return { queryAnswer: (req, ids) => d.queryAnswer({ ...req, 'Message-ID': 900_000 + ++n }, ids) };
    },
  },
  {
    name: 'response-empty-bag-for-none',
    kind: 'mutant',
    breaks: ['msg.client-id-response.null-when-none'],
    description: 'answers an empty bag instead of null for a user with no Client ID (E47)',
    seams: (d) => ({
      queryAnswer: (req, ids) => {
        const a = d.queryAnswer(req, ids);
        return ids.length ? a : { ...a, body: { ...(a.body as object), 'Client-ID': [] } };
      },
    }),
  },
  {
    name: 'stale-query-answer',
    kind: 'mutant',
    breaks: ['query.current-associations'],
    description: 'answers every Client ID the user ever had, superseded ones included',
    seams: (d) => {
      const history = new Map<string, Set<string>>();
      return {
        register: (state, ids, notifyUri, assign, newId) => {
          const out = d.register(state, ids, notifyUri, assign, newId);
          if (ids.user) history.set(ids.user, new Set([...(history.get(ids.user) ?? []), out.clientId]));
          return out;
        },
        queryClientIds: (state, user) => [...new Set([...d.queryClientIds(state, user), ...(history.get(user) ?? [])])],
      };
    },
  },

  // ---- 6.3.7 report contents
  {
    name: 'report-message-id-string',
    kind: 'mutant',
    breaks: ['msg.client-id-report.ies'],
    description: 'gives reports a string Message-ID, as on DPE-1 (E37)',
    seams: mapOutbound((x) => (isReport(x) ? { ...x, body: { ...x.body, 'Message-ID': `r-${String(x.body['Message-ID'])}` } } : x)),
  },
  {
    name: 'report-keeps-replaced-ids',
    kind: 'mutant',
    breaks: ['msg.client-id-report.ids-current'],
    description: "lists the user's superseded Client IDs in the report's Client-ID along with the new ones (no Replaces-Client-ID)",
    seams: mapReports((r, before) => {
      const u = reportUser(r.body);
      if (!u || !r.body['Client-ID']) return r;
      const { ['Replaces-Client-ID']: _r, ...body } = r.body;
      return { ...r, body: { ...body, 'Client-ID': [...new Set([...(before.users.get(u) ?? []), ...r.body['Client-ID']])] } };
    }),
  },
  {
    name: 'report-new-id-only',
    kind: 'mutant',
    breaks: ['msg.client-id-report.all-current-ids'],
    ics: { errata: { E53: 'strict' } },
    description: "lists only the new Client ID in a report, not all the user's current ones (E53 read strictly)",
    seams: (d) => newIdOnly(d),
  },
  {
    name: 'report-empty-bag-for-none',
    kind: 'mutant',
    breaks: ['msg.client-id-report.client-id-null'],
    description: 'reports an empty bag instead of null when the user is left without a Client ID',
    seams: mapReports((r) => (r.body['User-Identity'] && r.body['Client-ID'] === null ? { ...r, body: { ...r.body, 'Client-ID': [] } } : r)),
  },
  {
    name: 'userless-report-empty-user',
    kind: 'mutant',
    breaks: ['msg.client-id-report.user-null'],
    policies: ['per-device'],
    description: 'reports a Client ID left without a current user with an empty User-Identity bag instead of null',
    seams: mapReports((r) => (r.body['User-Identity'] === null ? { ...r, body: { ...r.body, 'User-Identity': [] } } : r)),
  },
  {
    name: 'replaces-lists-new-id',
    kind: 'mutant',
    breaks: ['msg.client-id-report.replaces'],
    description: "puts the new Client IDs in Replaces-Client-ID as well as in Client-ID",
    seams: mapReports((r, before) => {
      const u = reportUser(r.body);
      const was = u ? (before.users.get(u) ?? []) : [];
      const added = (r.body['Client-ID'] ?? []).filter((id) => !was.includes(id));
      if (!added.length) return r;
      return { ...r, body: { ...r.body, 'Replaces-Client-ID': [...(r.body['Replaces-Client-ID'] ?? []), ...added] } };
    }),
  },

  // ---- 6.1 policies (conditional on the declared policy)
  {
    name: 'per-registration-repeats-id',
    kind: 'mutant',
    breaks: ['policy.per-registration.new-id'],
    description: 'per-registration: a re-registration with nothing changed is answered with the Client ID it had',
    seams: (d) => ({ assigners: { ...d.assigners, 'per-registration': (a) => (!a.deviceChange && a.before?.clientId) || d.assigners['per-registration'](a) } }),
  },
  {
    name: 'per-user-and-device-renews-unchanged',
    kind: 'mutant',
    breaks: ['policy.per-user-and-device.same-id'],
    description: 'per-user-and-device: a re-registration with nothing changed gets a new Client ID',
    seams: (d) => ({ assigners: { ...d.assigners, 'per-user-and-device': ASSIGNERS['per-registration'] } }),
  },
  {
    name: 'per-user-and-device-keeps-id-on-change',
    kind: 'mutant',
    breaks: ['policy.per-user-and-device.new-id-on-change'],
    description: 'per-user-and-device: a device keeps its Client ID when another user registers on it',
    seams: (d) => ({
      assigners: { ...d.assigners, 'per-user-and-device': (a) => a.before?.clientId ?? d.assigners['per-user-and-device'](a) },
    }),
  },
  {
    name: 'per-device-new-id-for-new-user',
    kind: 'mutant',
    breaks: ['policy.per-device.keeps-id'],
    description: 'per-device: a device gets a new Client ID when another user registers on it',
    seams: (d) => ({
      assigners: {
        ...d.assigners,
        'per-device': (a) => {
          if (a.before && a.before.user !== a.user) a.state.permanentIds.delete(a.device);
          return d.assigners['per-device'](a);
        },
      },
    }),
  },
  {
    name: 'trigger-not-sent',
    kind: 'mutant',
    breaks: ['reg.server-driven'],
    description: 'accepts a registration trigger (202) but never sends DPE_Registration_Trigger to the client',
    seams: (d) => ({ deliver: (x, send) => (x.body['Message-Type'] === 'DPE_Registration_Trigger' ? undefined : d.deliver(x, send)) }),
  },
  {
    name: 'ignores-network-identity',
    kind: 'mutant',
    breaks: ['reg.identity-from-network'],
    description: 'declares network identities in its ICS but ignores the X-DPE-*-Identity headers',
    seams: (d) => ({ identity: (body, headers) => d.identity(body, headers, { networkIdentityHeaders: false }) }),
  },

  // ---- binding: errors
  {
    name: 'error-without-error-object',
    kind: 'mutant',
    breaks: ['binding.error-object'],
    description: "answers a rejected message with the right status but a plain {\"message\"} body, not the binding's Error object",
    seams: () => ({ errorAnswer: (e) => ({ status: e.status, body: { message: e.detail } }) }),
  },
  {
    name: 'rejected-registration-recorded',
    kind: 'mutant',
    breaks: ['binding.rejected-no-state-change'],
    description: 'records the identities of a registration before validating it, then rejects it',
    seams: (d) => {
      let n = 0;
      return {
        validate: (body, direction, ctx) => {
          try {
            return d.validate(body, direction, ctx);
          } catch (e) {
            const user = body['User-Identity'];
            const device = body['Device-Identity'];
            if (direction === 'client-to-server' && typeof user === 'string' && typeof device === 'string') {
              const uri = typeof body['Notify-URI'] === 'string' ? (body['Notify-URI'] as string) : '';
              referenceRegister(ctx.state, { user, device }, uri, ASSIGNERS['per-registration'], () => `rejected-${++n}`);
            }
            throw e;
          }
        },
      };
    },
  },
];


/**
 * Issue 3: a server that declares one Client ID policy in its ICS but assigns under another.
 * Each replaces every assigner with the other policy's, so the declared one is never followed.
 */
const behavesAs = (declared: ClientIdPolicy, actual: ClientIdPolicy, breaks: string[]): Variant => ({
  name: `declares-${declared}-behaves-${actual}`,
  kind: 'mutant',
  breaks,
  policies: [declared],
  description: `declares the ${declared} policy but assigns Client IDs ${actual}`,
  seams: () => ({ assigners: { 'per-registration': ASSIGNERS[actual], 'per-user-and-device': ASSIGNERS[actual], 'per-device': ASSIGNERS[actual] } }),
});

export const WRONG_POLICY: Variant[] = [
  behavesAs('per-registration', 'per-user-and-device', ['policy.per-registration.new-id']),
  behavesAs('per-user-and-device', 'per-device', ['policy.per-user-and-device.new-id-on-change']),
  behavesAs('per-device', 'per-user-and-device', ['policy.per-device.keeps-id']),
];
