/**
 * The registration area: 6.1 / 8.1.1 registration, the 8.2.2 classification of a registration (which use case it is) and the 6.1 Client ID policies.
 * Mutants each break the requirement(s) they name through one seam; legal variants use a
 * freedom (src/requirements/freedoms.ts) and must pass. Moved here from mutants.ts / legal.ts
 * unchanged; REGISTRATION below declares what the area breaks and exercises (checked by test/unit/variants.test.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Message } from '../../../catalog/protocol';
import { IE, MESSAGE_TYPE, malformed, received } from '../../../catalog/protocol';
import type { ClientIdPolicy } from '../../../config/ics';
import { ASSIGNERS } from '../../client-id-policy';
import { DpeError } from '../../errors';
import { isSingleDeviceUser } from '../../identity';
import { legalVariants, mutants } from '../declare';
import type { Variant } from '../seam-tools';
import { wrapRegister, detach, forwardedFor, mapSeam, wrapAssigner } from '../seam-tools';
import type { VariantArea } from './area';

export const REGISTRATION_MUTANTS = mutants({
  // ---- 6.1 / 8.1.1 registration
  'rejects-unsolicited-reregistration': {
    breaks: ['reg.client-driven'],
    description: 'accepts a device once; a later registration the client starts itself (not after a trigger) is rejected',
    seams: (d) => {
      const triggered = new Set<string>();
      return {
        deliver: (x, send) => {
          const cid = x.headers['DPE-Client-ID'];
          if (x.body[MESSAGE_TYPE] === 'DPE_Registration_Trigger' && cid) triggered.add(cid);
          d.deliver(x, send);
        },
        validate: (body, direction, ctx) => {
          const def = d.validate(body, direction, ctx);
          const request = received('DPE_Registration_Request', body);
          const device = request[IE.DeviceIdentity];
          const cid = request[IE.ClientID];
          if (direction === 'client-to-server' && typeof device === 'string' && ctx.state.device(device)) {
            if (typeof cid !== 'string' || !triggered.delete(cid)) {
              throw new DpeError(
                'INVALID_IE',
                'DPE_Registration_Request: this device is registered; it re-registers only when triggered',
                IE.ClientID,
              );
            }
          }
          return def;
        },
      };
    },
  },
  'multi-device-user-shares-client-id': {
    breaks: ['reg.client-id-unique'],
    policies: ['per-user-and-device'],
    description: "gives a multi-device user's new device the Client ID the user's earlier device still holds",
    seams: wrapAssigner('per-user-and-device', (a, replaced) => {
      const other = a.user ? a.state.clientIdsOf(a.user)[0] : undefined;
      return a.deviceChange && other ? other : replaced(a);
    }),
  },
  'previous-user-keeps-device': {
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
  'registration-answer-without-client-id': {
    breaks: ['reg.response-client-id'],
    description: 'answers a valid registration 200 but leaves the Client-ID IE out of DPE_Registration_Response',
    seams: mapSeam('registrationAnswer', (a) => {
      const { [IE.ClientID]: _dropped, ...body } = a.body as Message<'DPE_Registration_Response'>;
      return { ...a, body: malformed(body) };
    }),
  },
  'forgets-user-association': {
    breaks: ['reg.retain-association'],
    description: 'keeps the device and its Client ID but not which user uses it',
    seams: wrapRegister((out, state, ids) => {
      if (ids.user) state.unlink(ids.user, ids.device);
      return out;
    }),
  },
  'ignores-user-identity-ie': {
    breaks: ['reg.identity-from-request'],
    description: 'takes the user identity only from the network header, never from the User-Identity IE',
    seams: (d) => ({
      identity: (body, headers, opts) => {
        const { [IE.UserIdentity]: _ignored, ...rest } = body;
        return d.identity(rest, headers, opts);
      },
    }),
  },
  // E17 lenient: both are legal there (the erratum's proof), caught under the strict reading
  'requires-both-identities': {
    breaks: ['reg.single-identity-accepted'],
    ics: { errata: { E17: 'strict' } },
    description: 'rejects a registration from which only one identity can be determined, user or device (MISSING_IDENTITY)',
    seams: mapSeam('identity', (ids) => {
      if (!ids.user) throw new DpeError('MISSING_IDENTITY', 'DPE_Registration_Request: no user identity', IE.UserIdentity);
      if (ids.device === null) throw new DpeError('MISSING_IDENTITY', 'DPE_Registration_Request: no device identity', IE.DeviceIdentity);
      return ids;
    }),
  },
  'requires-device-identity': {
    breaks: ['reg.single-identity-accepted'],
    ics: { errata: { E17: 'strict' } },
    description: 'rejects a registration with a user identity but no device identity (MISSING_IDENTITY); a device alone is accepted',
    seams: mapSeam('identity', (ids) => {
      if (ids.device === null) throw new DpeError('MISSING_IDENTITY', 'DPE_Registration_Request: no device identity', IE.DeviceIdentity);
      return ids;
    }),
  },
  'ip-address-part-of-device-identity': {
    breaks: ['reg.ip-change-not-device-change'],
    description: 'keys devices by device identity plus source IP address, so a new IP address looks like a new device',
    seams: mapSeam('identity', (ids, _body, headers) => {
      const ip = forwardedFor(headers);
      return ip && ids.device !== null ? { ...ids, device: `${ids.device}@${ip}` } : ids;
    }),
  },
  'merges-devices-behind-one-ip': {
    breaks: ['reg.shared-ip-distinct-devices'],
    description: 'a NAT-binding cache: a second device registering from an IP address already seen is taken for the first',
    seams: (d) => {
      const byIp = new Map<string, string>();
      return mapSeam('identity', (ids, _body, headers) => {
        const ip = forwardedFor(headers);
        if (!ip || ids.device === null) return ids;
        if (!byIp.has(ip)) byIp.set(ip, ids.device);
        return { ...ids, device: byIp.get(ip)! };
      })(d);
    },
  },
  'registration-message-id-not-echoed': {
    breaks: ['reg.response-echoes-message-id'],
    description: "DPE_Registration_Response carries the server's own Message-ID instead of the request's",
    seams: (d) => {
      let n = 0;
      return { registrationAnswer: (req, cid) => d.registrationAnswer({ ...req, [IE.MessageID]: `srv-${++n}` }, cid) };
    },
  },
  'accepts-anonymous-registration': {
    breaks: ['reg.no-identity-rejected'],
    description: 'invents a device identity for a registration that carries no identity at all',
    seams: (d) => {
      let n = 0;
      return {
        identity: (body, headers, opts) => {
          try {
            return d.identity(body, headers, opts);
          } catch (e) {
            const none = body[IE.UserIdentity] === undefined && body[IE.DeviceIdentity] === undefined;
            if (e instanceof DpeError && e.code === 'MISSING_IDENTITY' && none) return { user: null, device: `anonymous-${++n}` };
            throw e;
          }
        },
      };
    },
  },
  'network-header-over-ie': {
    breaks: ['reg.identity-ie-over-header'],
    description: 'prefers the X-DPE-*-Identity network headers to the identities in the request',
    seams: (d) => ({
      identity: (body, headers, opts) => {
        const h = (k: string) => (typeof headers[k] === 'string' && (headers[k] as string).trim()) || undefined;
        const user = h('x-dpe-user-identity');
        const device = h('x-dpe-device-identity');
        const b = { ...body, ...(user ? { [IE.UserIdentity]: user } : {}), ...(device ? { [IE.DeviceIdentity]: device } : {}) };
        return d.identity(b, headers, opts);
      },
    }),
  },

  // ---- 8.2.2 which registrations are device changes
  'sim-move-not-device-change': {
    breaks: ['dc.usecase.sim-move'],
    description: 'a SIM registering from another device than the one it was on gets a Client ID but no releases or sets',
    seams: wrapRegister((out, _s, ids, was) => {
      const moved = ids.user && isSingleDeviceUser(ids.user) && was.userDevices.some((x) => x !== ids.device);
      return moved ? { ...out, deviceChange: false } : out;
    }),
  },
  'identity-change-not-device-change': {
    breaks: ['dc.usecase.identity-change-same-device'],
    description: 'a known device registering with another user identity (not one moving from elsewhere) gets no releases or sets',
    seams: wrapRegister((out, _s, ids, was) => {
      const changed = was.deviceUser !== undefined && was.deviceUser !== null && was.deviceUser !== ids.user;
      const movedFromElsewhere = was.userDevices.some((x) => x !== ids.device);
      return changed && !movedFromElsewhere ? { ...out, deviceChange: false } : out;
    }),
  },
  'multi-device-new-device-not-device-change': {
    breaks: ['dc.usecase.multi-device-new-device'],
    description: "a SIP user's additional device gets a Client ID but no releases or sets",
    seams: wrapRegister((out, _s, ids, was) => {
      const added = ids.user && !isSingleDeviceUser(ids.user) && was.userDevices.length > 0 && !was.userDevices.includes(ids.device);
      return added ? { ...out, deviceChange: false } : out;
    }),
  },
  'first-registration-not-device-change': {
    breaks: ['dc.usecase.new-user-new-device'],
    description: 'the first registration of an unknown user on an unknown device gets no releases or sets (E24 read strictly)',
    seams: wrapRegister((out, _s, ids, was) =>
      was.deviceUser === undefined && was.userDevices.length === 0 && ids.user ? { ...out, deviceChange: false } : out,
    ),
  },
  'sip-user-treated-as-sim': {
    breaks: ['dc.multi-device.keeps-earlier'],
    description: "a SIP user's additional device replaces the earlier ones as if a SIM had moved",
    seams: wrapRegister((out, state, ids) => {
      if (ids.user && !isSingleDeviceUser(ids.user)) {
        for (const other of state.devicesOf(ids.user)) if (other !== ids.device) detach(state, ids.user, other);
      }
      return out;
    }),
  },
  'new-device-gets-previous-client-id': {
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

  // ---- 6.1 policies (conditional on the declared policy)
  'per-registration-repeats-id': {
    breaks: ['policy.per-registration.new-id'],
    description: 'per-registration: a re-registration with nothing changed is answered with the Client ID it had',
    seams: wrapAssigner('per-registration', (a, replaced) => (!a.deviceChange && a.before?.clientId) || replaced(a)),
  },
  'per-user-and-device-renews-unchanged': {
    breaks: ['policy.per-user-and-device.same-id'],
    description: 'per-user-and-device: a re-registration with nothing changed gets a new Client ID',
    seams: wrapAssigner('per-user-and-device', (a) => ASSIGNERS['per-registration'](a)),
  },
  'per-user-and-device-keeps-id-on-change': {
    breaks: ['policy.per-user-and-device.new-id-on-change'],
    description: 'per-user-and-device: a device keeps its Client ID when another user registers on it',
    seams: wrapAssigner('per-user-and-device', (a, replaced) => a.before?.clientId ?? replaced(a)),
  },
  'per-device-new-id-for-new-user': {
    breaks: ['policy.per-device.keeps-id'],
    description: 'per-device: a device gets a new Client ID when another user registers on it',
    seams: wrapAssigner('per-device', (a, replaced) => {
      if (a.before && a.before.user !== a.user) a.state.permanentIds.delete(a.device);
      return replaced(a);
    }),
  },
  'trigger-not-sent': {
    breaks: ['reg.server-driven'],
    description: 'accepts a registration trigger (202) but never sends DPE_Registration_Trigger to the client',
    seams: (d) => ({ deliver: (x, send) => (x.body[MESSAGE_TYPE] === 'DPE_Registration_Trigger' ? undefined : d.deliver(x, send)) }),
  },
  'ignores-network-identity': {
    breaks: ['reg.identity-from-network'],
    description: 'declares network identities in its ICS but ignores the X-DPE-*-Identity headers',
    seams: (d) => ({ identity: (body, headers) => d.identity(body, headers, { networkIdentityHeaders: false }) }),
  },
});

export const REGISTRATION_LEGAL = legalVariants({
  'uuid-client-ids': {
    description: 'Client IDs are UUIDs (6.1 fixes no format)',
    seams: () => ({ mintClientId: () => randomUUID() }),
  },
  'long-opaque-client-ids': {
    description: 'Client IDs are opaque strings of some 170 characters with punctuation',
    seams: () => ({ mintClientId: (n) => `${randomBytes(120).toString('base64url')}.${n}~${randomBytes(3).toString('hex')}` }),
  },
  'returning-user-gets-old-id': {
    policies: ['per-user-and-device'],
    description: 'per-user-and-device: a user back on a device gets the Client ID that pairing had before (E09)',
    seams: (d) => {
      const pairs = new Map<string, string>();
      return wrapAssigner('per-user-and-device', (a, replaced) => {
        const key = `${a.user ?? ''}\u0000${a.device}`;
        const old = pairs.get(key);
        const id = a.deviceChange && old && !a.state.deviceByClientId(old) ? old : replaced(a);
        pairs.set(key, id);
        return id;
      })(d);
    },
  },
  'no-network-identities': {
    policies: ['per-user-and-device'],
    ics: { networkIdentityHeaders: false },
    description: 'takes identities only from the request IEs, declaring networkIdentityHeaders false',
  },
});

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
  seams: () => ({
    assigners: { 'per-registration': ASSIGNERS[actual], 'per-user-and-device': ASSIGNERS[actual], 'per-device': ASSIGNERS[actual] },
  }),
});

export const WRONG_POLICY: Variant[] = [
  behavesAs('per-registration', 'per-user-and-device', ['policy.per-registration.new-id']),
  behavesAs('per-user-and-device', 'per-device', ['policy.per-user-and-device.new-id-on-change']),
  behavesAs('per-device', 'per-user-and-device', ['policy.per-device.keeps-id']),
];

export const REGISTRATION: VariantArea = {
  area: 'registration',
  code: ['src/server/procedures/registration.ts', 'src/server/client-id-policy.ts', 'src/server/identity.ts', 'src/server/dpe1.ts'],
  seams: ['identity', 'assigners', 'register', 'registrationAnswer', 'mintClientId'],
  breaks: [
    'reg.client-driven',
    'reg.client-id-unique',
    'policy.per-device.previous-user-loses-id',
    'reg.response-client-id',
    'reg.retain-association',
    'reg.identity-from-request',
    'reg.single-identity-accepted',
    'reg.ip-change-not-device-change',
    'reg.shared-ip-distinct-devices',
    'reg.response-echoes-message-id',
    'reg.no-identity-rejected',
    'reg.identity-ie-over-header',
    'dc.usecase.sim-move',
    'dc.usecase.identity-change-same-device',
    'dc.usecase.multi-device-new-device',
    'dc.usecase.new-user-new-device',
    'dc.multi-device.keeps-earlier',
    'dc.new-client-id',
    'policy.per-registration.new-id',
    'policy.per-user-and-device.same-id',
    'policy.per-user-and-device.new-id-on-change',
    'policy.per-device.keeps-id',
    'reg.server-driven',
    'reg.identity-from-network',
  ],
  freedoms: ['id-formats', 'returning-pair', 'optional-features'],
  mutants: [...REGISTRATION_MUTANTS, ...WRONG_POLICY],
  legal: REGISTRATION_LEGAL,
};
