/**
 * The client-id-change area: 8.2.3 Client ID change: when a DPE_Client_ID_Report is sent and to whom.
 * Mutants each break the requirement(s) they name through one seam; legal variants use a
 * freedom (src/requirements/freedoms.ts) and must pass. Moved here from mutants.ts / legal.ts
 * unchanged; CLIENT_ID_CHANGE below declares what the area breaks and exercises (checked by test/unit/variants.test.ts).
 */
import { IE, unnumbered } from '../../../catalog/protocol';
import { mapReports, reportUser, mapOutbound, isReport } from '../seam-tools';
import { legalVariants, mutants } from '../declare';
import type { VariantArea } from './area';

export const CLIENT_ID_CHANGE_MUTANTS = mutants({
  // ---- 8.2.3 reports
  'no-report-on-replacement': {
    breaks: ['cid.report-on-change'],
    description: "reports a user's first Client ID, but not a Client ID that replaces another",
    seams: mapReports((r) => (r.body[IE.ReplacesClientID] ? null : r)),
  },
  'reports-to-every-sp': {
    breaks: ['cid.report-concerned-only'],
    description: 'sends every report to every onboarded SP, concerned with the user or not',
    seams: (d) => ({
      planReports: (state, before, after, opts) => {
        const bodies = [...new Set(d.planReports(state, before, after, opts).map((r) => r.body))];
        return bodies.flatMap((body) => [...state.serviceProviders.values()].map((sp) => ({ sp, body })));
      },
    }),
  },
  'no-first-association-report': {
    breaks: ['cid.report-first-association'],
    description: 'does not report the first Client ID a user obtains',
    seams: mapReports((r, before) => {
      const u = reportUser(r.body);
      return u !== undefined && (before.users.get(u) ?? []).length === 0 ? null : r;
    }),
  },
  'report-normalises-client-id': {
    breaks: ['cid.report-matches-registration'],
    description:
      'reports new Client IDs upper-cased, i.e. not as the registration response gave them (also makes them invalid: ' +
      'msg.client-id-report.ids-current cannot be kept apart)',
    seams: mapReports((r, before) => {
      const u = reportUser(r.body);
      const was = u ? (before.users.get(u) ?? []) : [];
      const ids = r.body[IE.ClientID]?.map((id) => (was.includes(id) ? id : id.toUpperCase())) ?? null;
      return { ...r, body: { ...r.body, [IE.ClientID]: ids } };
    }),
  },
  'report-when-nothing-changed': {
    breaks: ['cid.report-only-on-change'],
    policies: ['per-user-and-device'],
    description: 'reports the Client IDs of every user a registration touched, changed or not',
    seams: (d) => ({
      planReports: (state, before, after, opts) => {
        const planned = d.planReports(state, before, after, opts);
        for (const [user, was] of before.users) {
          const now = after.users.get(user) ?? [];
          if (!now.length || planned.some((r) => reportUser(r.body) === user)) continue;
          const body = unnumbered('DPE_Client_ID_Report', { [IE.UserIdentity]: [user], [IE.ClientID]: now });
          if (JSON.stringify(was) === JSON.stringify(now)) for (const sp of state.concernedWith(user)) planned.push({ sp, body });
        }
        return planned;
      },
    }),
  },
  'report-message-id-reused': {
    breaks: ['cid.report-message-id-unique'],
    description: 'gives every report the Message-ID 1',
    seams: mapOutbound((x) => (isReport(x) ? { ...x, body: { ...x.body, [IE.MessageID]: 1 } } : x)),
  },
});

export const CLIENT_ID_CHANGE_LEGAL = legalVariants({
  'report-without-replaces': {
    description: 'leaves the optional Replaces-Client-ID out of every report (6.3.7: optional)',
    seams: mapReports((r) => {
      const { [IE.ReplacesClientID]: _r, ...body } = r.body;
      return { ...r, body };
    }),
  },
  'random-report-message-ids': {
    description: 'report Message-IDs are unique random integers, not a sequence',
    seams: (d) => {
      const used = new Set<number>();
      return mapOutbound((x) => {
        if (!isReport(x)) return x;
        let id: number;
        do id = 1 + Math.floor(Math.random() * 2 ** 40);
        while (used.has(id));
        used.add(id);
        return { ...x, body: { ...x.body, [IE.MessageID]: id } };
      })(d);
    },
  },
  'no-null-user-reports': {
    ics: { nullUserReports: false },
    description: 'sends no report with User-Identity null, declaring nullUserReports false',
  },
});

export const CLIENT_ID_CHANGE: VariantArea = {
  area: 'client-id-change',
  code: ['src/server/procedures/client-id-change.ts'],
  seams: ['planReports'],
  breaks: [
    'cid.report-on-change',
    'cid.report-concerned-only',
    'cid.report-first-association',
    'cid.report-matches-registration',
    'cid.report-only-on-change',
    'cid.report-message-id-unique',
  ],
  freedoms: ['replaces-optional', 'id-formats', 'optional-features'],
  mutants: CLIENT_ID_CHANGE_MUTANTS,
  legal: CLIENT_ID_CHANGE_LEGAL,
};
