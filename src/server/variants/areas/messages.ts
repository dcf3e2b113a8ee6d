/**
 * The messages area: the form of the messages: the releases (6.2.3.3, 6.2.6.1), query and response (6.3.6.2), the report contents (6.3.7), the SP settings relayed (binding) and the error object (binding).
 * Mutants each break the requirement(s) they name through one seam; legal variants use a
 * freedom (src/requirements/freedoms.ts) and must pass. Moved here from mutants.ts / legal.ts
 * unchanged; MESSAGES below declares what the area breaks and exercises (checked by test/unit/variants.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { IE, MESSAGE_TYPE, malformed, unnumbered } from '../../../catalog/protocol';
import { releaseAllGroups, releaseAllPolicies } from '../../procedures/device-change';
import { replaceStep, mapSeam, mapReports, reportUser, mapOutbound, isReport, isToClient, newIdOnly, withExtraIes } from '../seam-tools';
import { legalVariants, mutants } from '../declare';
import type { VariantArea } from './area';

export const MESSAGES_MUTANTS = mutants({
  // ---- SP settings (binding)
  'sp-set-not-relayed': {
    breaks: ['sp.set-relayed'],
    description: "stores an SP's group or policy but does not send it to the user's current devices",
    seams: () => ({ relayTargets: () => [] }),
  },

  // ---- 6.2.3.3 / 6.2.6.1 releases
  'group-release-hyphenated-ie': {
    breaks: ['msg.group-release.ies'],
    description: 'spells the IE of DPE_Group_Release "Group-ID" instead of "Group_ID" (E01)',
    seams: replaceStep(releaseAllGroups.name, {
      ...releaseAllGroups,
      messages: () => [malformed({ [MESSAGE_TYPE]: 'DPE_Group_Release', [IE.GroupID]: '*' })],
    }),
  },
  'group-release-lists-groups': {
    breaks: ['msg.group-release.wildcard'],
    description: 'releases the defined groups one by one instead of with "*"',
    seams: replaceStep(releaseAllGroups.name, {
      ...releaseAllGroups,
      messages: (s) => [...(s?.groups.keys() ?? [])].map((g) => unnumbered('DPE_Group_Release', { [IE.Group_ID]: g })),
    }),
  },
  'policy-release-underscored-ie': {
    breaks: ['msg.policy-release.ies'],
    description: 'spells the IE of DPE_Policy_Release "Policy_ID" as in the 6.2.6.1 signature (E02)',
    seams: replaceStep(releaseAllPolicies.name, {
      ...releaseAllPolicies,
      messages: () => [malformed({ [MESSAGE_TYPE]: 'DPE_Policy_Release', [IE.Policy_ID]: '*' })],
    }),
  },
  'policy-release-lists-policies': {
    breaks: ['msg.policy-release.wildcard'],
    description: 'releases the defined policies one by one instead of with "*"',
    seams: replaceStep(releaseAllPolicies.name, {
      ...releaseAllPolicies,
      messages: (s) =>
        [...(s?.propertyPolicies.keys() ?? []), ...(s?.groupPolicies.keys() ?? [])].map((p) =>
          unnumbered('DPE_Policy_Release', { [IE.PolicyID]: p }),
        ),
    }),
  },

  // ---- 6.3.6.2 query and response
  'query-accepted-not-answered': {
    breaks: ['query.answered'],
    description: 'answers DPE_Client_ID_Query 202 with no DPE_Client_ID_Response',
    seams: () => ({ queryAnswer: () => ({ status: 202 }) }),
  },
  'response-type-from-table': {
    breaks: ['msg.client-id-response.ies'],
    description: 'gives the response the Message-Type DPE_Client_ID_Query, as the 6.3.6.2 table misprints it (E03)',
    seams: mapSeam('queryAnswer', (a) => ({ ...a, body: malformed({ ...(a.body as object), [MESSAGE_TYPE]: 'DPE_Client_ID_Query' }) })),
  },
  'response-message-id-not-echoed': {
    breaks: ['msg.client-id-response.echo-message-id'],
    description: "answers with the server's own Message-ID",
    seams: (d) => {
      let n = 0;
      return { queryAnswer: (req, ids) => d.queryAnswer({ ...req, [IE.MessageID]: 900_000 + ++n }, ids) };
    },
  },
  'response-empty-bag-for-none': {
    breaks: ['msg.client-id-response.null-when-none'],
    description: 'answers an empty bag instead of null for a user with no Client ID (E47)',
    seams: mapSeam('queryAnswer', (a, _req, ids) => (ids.length ? a : { ...a, body: { ...(a.body as object), [IE.ClientID]: [] } })),
  },
  'stale-query-answer': {
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
  'report-message-id-string': {
    breaks: ['msg.client-id-report.ies'],
    description: 'gives reports a string Message-ID, as on DPE-1 (E37)',
    seams: mapOutbound((x) => (isReport(x) ? { ...x, body: malformed({ ...x.body, [IE.MessageID]: `r-${x.body[IE.MessageID]}` }) } : x)),
  },
  'report-keeps-replaced-ids': {
    breaks: ['msg.client-id-report.ids-current'],
    description: "lists the user's superseded Client IDs in the report's Client-ID along with the new ones (no Replaces-Client-ID)",
    seams: mapReports((r, before) => {
      const u = reportUser(r.body);
      const ids = r.body[IE.ClientID];
      if (!u || !ids) return r;
      const { [IE.ReplacesClientID]: _r, ...body } = r.body;
      return { ...r, body: { ...body, [IE.ClientID]: [...new Set([...(before.users.get(u) ?? []), ...ids])] } };
    }),
  },
  'report-new-id-only': {
    breaks: ['msg.client-id-report.all-current-ids'],
    ics: { errata: { E53: 'strict' } },
    description: "lists only the new Client ID in a report, not all the user's current ones (E53 read strictly)",
    seams: (d) => newIdOnly(d),
  },
  'report-empty-bag-for-none': {
    breaks: ['msg.client-id-report.client-id-null'],
    description: 'reports an empty bag instead of null when the user is left without a Client ID',
    seams: mapReports((r) =>
      r.body[IE.UserIdentity] && r.body[IE.ClientID] === null ? { ...r, body: { ...r.body, [IE.ClientID]: [] } } : r,
    ),
  },
  'userless-report-empty-user': {
    breaks: ['msg.client-id-report.user-null'],
    policies: ['per-device'],
    description: 'reports a Client ID left without a current user with an empty User-Identity bag instead of null',
    seams: mapReports((r) => (r.body[IE.UserIdentity] === null ? { ...r, body: { ...r.body, [IE.UserIdentity]: [] } } : r)),
  },
  'replaces-lists-new-id': {
    breaks: ['msg.client-id-report.replaces'],
    description: 'puts the new Client IDs in Replaces-Client-ID as well as in Client-ID',
    seams: mapReports((r, before) => {
      const u = reportUser(r.body);
      const was = u ? (before.users.get(u) ?? []) : [];
      const added = (r.body[IE.ClientID] ?? []).filter((id) => !was.includes(id));
      if (!added.length) return r;
      return { ...r, body: { ...r.body, [IE.ReplacesClientID]: [...(r.body[IE.ReplacesClientID] ?? []), ...added] } };
    }),
  },

  // ---- binding: errors
  'error-without-error-object': {
    breaks: ['binding.error-object'],
    description: 'answers a rejected message with the right status but a plain {"message"} body, not the binding\'s Error object',
    seams: () => ({ errorAnswer: (e) => ({ status: e.status, body: { message: e.detail } }) }),
  },

  // ---- binding: body limit
  'body-limit-not-enforced': {
    breaks: ['binding.body-limit'],
    description: 'reads and accepts bodies up to 64 MiB, far over the 64 KiB its IXIT declares',
    options: { maxBodyBytes: 64 * 1024 * 1024 },
  },
  'over-limit-body-answered-400': {
    breaks: ['binding.body-limit-413'],
    description: 'answers an over-limit body 400 PAYLOAD_TOO_LARGE instead of 413',
    seams: mapSeam('errorAnswer', (a, e) => (e.code === 'PAYLOAD_TOO_LARGE' ? { ...a, status: 400 } : a)),
  },
  'stops-serving-after-over-limit-body': {
    breaks: ['binding.serves-after-rejection'],
    description: 'answers an over-limit body 413, then fails every later DPE request with a 500, as a server whose body reader broke',
    seams: (d) => {
      let broken = false;
      return {
        errorAnswer: (e) => {
          if (e.code === 'PAYLOAD_TOO_LARGE') broken = true;
          return d.errorAnswer(e);
        },
        validate: (body, direction, ctx) => {
          if (broken) throw new Error('the body reader is broken since an over-limit body');
          return d.validate(body, direction, ctx);
        },
      };
    },
  },
});

export const MESSAGES_LEGAL = legalVariants({
  'extra-ies-everywhere': {
    description: 'adds unknown IEs to every message it sends and every answer (a receiver ignores IEs it does not know)',
    seams: (d) => ({
      ...mapOutbound((x) => ({ ...x, body: withExtraIes(x.body) }))(d),
      ...mapSeam('registrationAnswer', (a) => ({ ...a, body: withExtraIes(a.body) }))(d),
      ...mapSeam('queryAnswer', (a) => ({ ...a, body: withExtraIes(a.body) }))(d),
    }),
  },
  'uuid-client-message-ids': {
    description: 'server-to-client Message-IDs are UUIDs; content type carries a charset parameter',
    seams: mapOutbound((x) =>
      isToClient(x)
        ? {
            ...x,
            headers: { ...x.headers, 'content-type': 'application/json; charset=utf-8' },
            body: { ...x.body, [IE.MessageID]: randomUUID() },
          }
        : { ...x, headers: { ...x.headers, 'content-type': 'application/json; charset=utf-8' } },
    ),
  },
  'reversed-id-order': {
    description: 'lists Client-ID bags (query answers and reports) newest first (a bag has no order)',
    seams: (d) => ({
      queryClientIds: (state, user) => [...d.queryClientIds(state, user)].reverse(),
      ...mapReports((r) => ({ ...r, body: { ...r.body, [IE.ClientID]: r.body[IE.ClientID]?.slice().reverse() ?? null } }))(d),
    }),
  },
  'error-detail-wording': {
    policies: ['per-user-and-device'],
    description: 'words the Detail of error answers its own way and adds a vendor field (binding fixes Code and IE only)',
    seams: () => ({
      errorAnswer: (e) => ({
        status: e.status,
        body: { Error: { Code: e.code, ...(e.ie ? { IE: e.ie } : {}), Detail: `rejected (${e.code.toLowerCase()})`, Vendor: 'acme' } },
      }),
    }),
  },
});

export const MESSAGES: VariantArea = {
  area: 'messages',
  code: ['src/server/dpe2.ts', 'src/server/seams.ts'],
  seams: ['queryClientIds', 'queryAnswer', 'errorAnswer', 'relayTargets', 'deviceChangeSteps', 'validate'],
  breaks: [
    'sp.set-relayed',
    'msg.group-release.ies',
    'msg.group-release.wildcard',
    'msg.policy-release.ies',
    'msg.policy-release.wildcard',
    'query.answered',
    'msg.client-id-response.ies',
    'msg.client-id-response.echo-message-id',
    'msg.client-id-response.null-when-none',
    'query.current-associations',
    'msg.client-id-report.ies',
    'msg.client-id-report.ids-current',
    'msg.client-id-report.all-current-ids',
    'msg.client-id-report.client-id-null',
    'msg.client-id-report.user-null',
    'msg.client-id-report.replaces',
    'binding.error-object',
    'binding.body-limit',
    'binding.body-limit-413',
    'binding.serves-after-rejection',
  ],
  freedoms: ['unknown-ies', 'id-formats', 'bag-order', 'error-detail'],
  mutants: MESSAGES_MUTANTS,
  legal: MESSAGES_LEGAL,
};
