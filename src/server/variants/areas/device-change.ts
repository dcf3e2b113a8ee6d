/**
 * The device-change area: the 8.2.2 actions of a device change: the releases and the re-establishment of the defined settings, and to which devices they go.
 * Mutants each break the requirement(s) they name through one seam; legal variants use a
 * freedom (src/requirements/freedoms.ts) and must pass. Moved here from mutants.ts / legal.ts
 * unchanged; DEVICE_CHANGE below declares what the area breaks and exercises (checked by test/unit/variants.test.ts).
 */
import type { ClientMessage } from '../../procedures/device-change';
import {
  releaseAllGroups,
  releaseAllPolicies,
  setDefinedGroupPolicies,
  setDefinedGroups,
  setDefinedPropertyPolicies,
} from '../../procedures/device-change';
import { IE, isSetType, MESSAGE_TYPE, unnumbered } from '../../../catalog/protocol';
import { isRelease, isToClient, steps, withoutStep, wrapRegister, procedureOnUnchanged } from '../seam-tools';
import { legalVariants, mutants } from '../declare';
import type { VariantArea } from './area';

export const DEVICE_CHANGE_MUTANTS = mutants({
  'releases-on-unchanged-registration': {
    breaks: ['dc.unchanged-no-releases'],
    description: 'runs the device-change procedure (releases included) on a re-registration with nothing changed',
    seams: wrapRegister((out) => ({ ...out, deviceChange: true })),
  },

  // ---- 8.2.2 the procedure
  'no-group-release': {
    breaks: ['dc.release-groups'],
    description: 'skips DPE_Group_Release on a device change',
    seams: withoutStep(releaseAllGroups.name),
  },
  'no-policy-release': {
    breaks: ['dc.release-policies'],
    description: 'skips DPE_Policy_Release on a device change',
    seams: withoutStep(releaseAllPolicies.name),
  },
  'no-group-sets': {
    breaks: ['dc.set-groups'],
    description: 'does not restore the defined property groups on a device change',
    seams: withoutStep(setDefinedGroups.name),
  },
  'no-property-policy-sets': {
    breaks: ['dc.set-property-policies'],
    description: 'does not restore the defined property reporting policies on a device change',
    seams: withoutStep(setDefinedPropertyPolicies.name),
  },
  'no-group-policy-sets': {
    breaks: ['dc.set-group-policies'],
    description: 'does not restore the defined group reporting policies on a device change',
    seams: withoutStep(setDefinedGroupPolicies.name),
  },
  'restores-server-default-group': {
    breaks: ['dc.sets-only-defined'],
    description: 'adds a group of its own choosing ("device-basics") to the sets of a device change',
    seams: (d) => ({
      deviceChangeSteps: [
        ...d.deviceChangeSteps,
        {
          name: 'set-server-defaults',
          rule: '(fault) a group no SP defined',
          requirement: 'dc.sets-only-defined',
          messages: (): ClientMessage[] => [unnumbered('DPE_Group_Set', { [IE.GroupID]: 'device-basics', [IE.Properties]: ['model'] })],
        },
      ],
    }),
  },
  'sets-before-releases': {
    breaks: ['dc.order-releases-first'],
    description: 'sends the sets of a device change before the releases',
    seams: steps(setDefinedGroups, setDefinedPropertyPolicies, setDefinedGroupPolicies, releaseAllGroups, releaseAllPolicies),
  },
  'group-policy-before-its-group': {
    breaks: ['dc.order-group-before-policy'],
    description: 'sends the group reporting policies before the groups they name',
    seams: steps(releaseAllGroups, releaseAllPolicies, setDefinedGroupPolicies, setDefinedGroups, setDefinedPropertyPolicies),
  },
  'device-change-unlabelled': {
    breaks: ['dc.addressed-to-current-client'],
    description: 'sends the releases and sets of a device change without the DPE-Client-ID label',
    seams: (d) => {
      const inChange = new Set<string>();
      return {
        deliver: (x, send) => {
          // the messages of one device change leave in one synchronous batch, releases first
          if (isRelease(x) && !inChange.has(x.url)) {
            inChange.add(x.url);
            queueMicrotask(() => inChange.delete(x.url));
          }
          if (!inChange.has(x.url)) return d.deliver(x, send);
          const { 'DPE-Client-ID': _label, ...headers } = x.headers;
          d.deliver({ ...x, headers }, send);
        },
      };
    },
  },
  'device-change-labelled-with-previous-id': {
    breaks: ['dc.addressed-to-current-client'],
    description: 'labels the sets of a device change with the Client ID the device had before the registration that caused it',
    seams: (d) => {
      const previousId = new Map<string, string>();
      return {
        register: (state, ids, notifyUri, assign, newId) => {
          const before = state.device(ids.device)?.clientId;
          const out = d.register(state, ids, notifyUri, assign, newId);
          if (before && before !== out.clientId && out.deviceChange) previousId.set(notifyUri, before);
          else previousId.delete(notifyUri);
          return out;
        },
        deliver: (x, send) => {
          const stale = isSetType(x.body[MESSAGE_TYPE]) ? previousId.get(x.url) : undefined;
          d.deliver(stale ? { ...x, headers: { ...x.headers, 'DPE-Client-ID': stale } } : x, send);
        },
      };
    },
  },
  'device-change-also-to-previous-device': {
    breaks: ['dc.previous-device-no-settings'],
    description: 'also sends the releases and sets of a SIM move to the device the SIM left',
    seams: (d) => {
      const previous = new Map<string, { url: string; clientId: string }>();
      const inChange = new Set<string>();
      return {
        register: (state, ids, notifyUri, assign, newId) => {
          const left = ids.user
            ? state
                .devicesOf(ids.user)
                .filter((x) => x !== ids.device)
                .map((x) => state.device(x)!)
            : [];
          const out = d.register(state, ids, notifyUri, assign, newId);
          const old = left.find((r) => r.notifyUri !== notifyUri);
          if (old && out.deviceChange) previous.set(notifyUri, { url: old.notifyUri, clientId: out.clientId });
          return out;
        },
        deliver: (x, send) => {
          d.deliver(x, send);
          if (isRelease(x) && previous.has(x.url) && !inChange.has(x.url)) {
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
  'unchanged-registration-wipes-settings': {
    breaks: ['dc.unchanged-keeps-settings'],
    description: 'on a re-registration with nothing changed, releases all groups and policies and sets nothing back',
    seams: procedureOnUnchanged((isRelease) => isRelease),
  },
  'late-stray-group-release': {
    breaks: ['dc.set-groups'],
    description: 'some 300 ms after a device change, sends the client one more DPE_Group_Release "*", wiping the groups it restored',
    seams: (d) => {
      const armed = new Set<string>();
      return {
        deliver: (x, send) => {
          d.deliver(x, send);
          if (!isToClient(x) || x.body[MESSAGE_TYPE] !== 'DPE_Group_Release' || armed.has(x.url)) return;
          armed.add(x.url);
          setTimeout(() => {
            armed.delete(x.url);
            d.deliver({ ...x, body: { ...x.body, [IE.MessageID]: `${x.body[IE.MessageID]}-late` } }, send);
          }, 300).unref();
        },
      };
    },
  },
  'releases-twice': {
    breaks: ['dc.release-one-message'],
    description: 'sends each "*" release of a device change twice',
    seams: (d) => ({
      deliver: (x, send) => {
        d.deliver(x, send);
        if (isRelease(x)) d.deliver({ ...x, body: { ...x.body, [IE.MessageID]: `${x.body[IE.MessageID]}-again` } }, send);
      },
    }),
  },
  'relay-also-to-previous-device': {
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
});

export const DEVICE_CHANGE_LEGAL = legalVariants({
  'resends-sets-on-unchanged-registration': {
    description:
      "re-sends the user's defined groups and policies (no releases) on a re-registration with nothing changed: revalidation (8.1.1, E13)",
    seams: procedureOnUnchanged((isRelease) => !isRelease),
  },
  'policy-release-first': {
    description: 'releases the policies before the groups (8.2.2 does not order the two releases)',
    seams: steps(releaseAllPolicies, releaseAllGroups, setDefinedGroups, setDefinedPropertyPolicies, setDefinedGroupPolicies),
  },
  'group-policies-right-after-groups': {
    description: 'sends group policies before property policies (only group-before-its-policy is fixed)',
    seams: steps(releaseAllGroups, releaseAllPolicies, setDefinedGroups, setDefinedGroupPolicies, setDefinedPropertyPolicies),
  },
  'restores-subset': {
    ics: { restoredSettings: 'subset' },
    description: 'restores only groups and property policies on a device change, declaring restoredSettings subset (E26)',
    seams: withoutStep(setDefinedGroupPolicies.name),
  },
});

export const DEVICE_CHANGE: VariantArea = {
  area: 'device-change',
  code: ['src/server/procedures/device-change.ts'],
  seams: ['deviceChangeSteps', 'relayTargets'],
  breaks: [
    'dc.unchanged-no-releases',
    'dc.release-groups',
    'dc.release-policies',
    'dc.set-groups',
    'dc.set-property-policies',
    'dc.set-group-policies',
    'dc.sets-only-defined',
    'dc.order-releases-first',
    'dc.order-group-before-policy',
    'dc.addressed-to-current-client',
    'dc.previous-device-no-settings',
    'dc.unchanged-keeps-settings',
    'dc.release-one-message',
    'sp.relay-current-only',
  ],
  freedoms: ['revalidation', 'release-order', 'set-order', 'restored-subset'],
  mutants: DEVICE_CHANGE_MUTANTS,
  legal: DEVICE_CHANGE_LEGAL,
};
