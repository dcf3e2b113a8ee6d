// Catalog of the independent server's deliberate faults and legal freedoms, as data.
// A fault breaks requirements of docs/requirements.md; a freedom is a behaviour the CR and the
// binding leave open, with the ICS fields an implementation would declare for it.
import type { RequirementId } from './requirement-ids';

export type ClientIdPolicy = 'per-registration' | 'per-user-and-device' | 'per-device';
export const POLICIES: readonly ClientIdPolicy[] = ['per-registration', 'per-user-and-device', 'per-device'];

interface FaultSpec { breaks: RequirementId[]; description: string }
interface FreedomSpec { description: string; basis: string; ics?: Record<string, unknown> }

const LATE = 'a few hundred milliseconds (300 ms)';

const FAULTS = {
  'late-wildcard-release': { breaks: ['dc.order-releases-first', 'dc.set-groups'], description: `After a device change has been delivered in the right order, a second DPE_Group_Release "*" follows ${LATE} later, wiping the restored groups.` },
  'late-extra-set': { breaks: ['dc.sets-only-defined'], description: `${LATE} after a device change, a DPE_Group_Set of a server-invented group ("srv-diagnostics") that nobody defined is sent.` },
  'sets-before-releases': { breaks: ['dc.order-releases-first'], description: 'A device change sends the sets first and the two "*" releases after them.' },
  'group-policy-before-group': { breaks: ['dc.order-group-before-policy'], description: 'A device change sends the group policy sets before the group sets they refer to.' },
  'restore-drops-last-property': { breaks: ['dc.sets-only-defined'], description: 'Restored DPE_Group_Set messages leave out the last property of each group (content differs from the definition); live relays are correct.' },
  'no-releases-when-nothing-defined': { breaks: ['dc.release-groups', 'dc.release-policies'], description: 'A device change for a user with no defined group or policy sends no releases at all.' },
  'release-lists-groups': { breaks: ['msg.group-release.wildcard', 'dc.release-groups'], description: 'Instead of one DPE_Group_Release "*", one release per defined group is sent (none when nothing is defined).' },
  'sim-return-not-device-change': { breaks: ['dc.usecase.sim-move', 'dc.release-groups', 'dc.release-policies', 'dc.set-groups'], description: 'A SIM coming back to a device it was on before (any earlier time) is not treated as a device change: no releases, no sets (E21 read against history).' },
  'restore-to-former-device': { breaks: ['dc.addressed-to-current-client'], description: 'On a SIM move the restored sets are also sent to the device the SIM left, labelled with its old Client ID.' },
  'old-client-id-header': { breaks: ['dc.addressed-to-current-client'], description: 'Device-change messages carry in DPE-Client-ID the Client ID the device held before this registration (when it had one).' },
  'triggered-reregistration-releases': { breaks: ['dc.unchanged-no-releases', 'reg.server-driven'], description: 'A registration that answers a DPE_Registration_Trigger is always handled as a device change (releases and sets) even when nothing changed.' },
  'relay-to-former-device': { breaks: ['sp.set-relayed'], description: 'A set an SP defines is relayed to every device the user was ever associated with, including devices the SIM left.' },
  'rejected-set-relayed': { breaks: ['binding.rejected-no-state-change', 'sp.unauthorized-rejected'], description: 'A DPE-2 set without a valid bearer token is answered 401 but still relayed to the named user\'s devices (not stored).' },
  'lax-bearer-scheme': { breaks: ['sp.unauthorized-rejected'], description: 'The Authorization header is accepted whatever its scheme ("Basic <token>", a bare token), as long as it ends with an onboarded token.' },
  'stale-token-after-reonboard': { breaks: ['sp.unauthorized-rejected'], description: 'Re-onboarding an SP with a new token leaves its old token valid.' },
  'concern-sticks-to-first-sp': { breaks: ['cid.report-on-change'], description: 'Once some SP is concerned with a user, requests about that user from other SPs are served but those SPs are not recorded as concerned, so they get no reports.' },
  'report-all-sps': { breaks: ['cid.report-concerned-only'], description: 'Each report goes to every onboarded SP, concerned or not.' },
  'only-first-report': { breaks: ['cid.report-on-change'], description: 'Each SP gets only its first report about a given user; later changes go unreported.' },
  'stale-second-report': { breaks: ['msg.client-id-report.ids-current', 'cid.report-only-on-change'], description: `${LATE} after a correct report, a second report (new Message-ID) is sent that carries the user's Client IDs from before the change.` },
  'report-on-unchanged': { breaks: ['cid.report-only-on-change'], description: 'A re-registration that keeps the Client ID still sends a report (same Client-ID, no Replaces-Client-ID) to concerned SPs.' },
  'report-omits-new-id': { breaks: ['msg.client-id-report.ids-current', 'cid.report-matches-registration'], description: 'The report\'s Client-ID lists the user\'s current IDs except the newly assigned one (null when no other is left).' },
  'replaces-includes-current': { breaks: ['msg.client-id-report.replaces'], description: 'Replaces-Client-ID lists every ID the user had before the change, including ones still valid (visible for a multi-device user adding a device).' },
  'client-id-null-as-empty-bag': { breaks: ['msg.client-id-report.client-id-null'], description: 'A report about a user left without a Client ID carries Client-ID [] instead of null (ICS still declares E47 strict).' },
  'null-user-report-missing': { breaks: ['msg.client-id-report.user-null'], description: 'Under per-device, the report with User-Identity null for the ID of the device a SIM left is never sent (ICS still declares nullUserReports).' },
  'report-message-id-per-user': { breaks: ['cid.report-message-id-unique'], description: 'A report\'s Message-ID is derived from the user identity, so two reports about one user to one SP share a Message-ID.' },
  'retry-new-message-id': { breaks: ['cid.report-retry-keeps-message-id'], description: 'A retried report gets a fresh Message-ID.' },
  'no-report-retry': { breaks: ['cid.report-retry-keeps-message-id'], description: 'A report the SP refused or could not take is dropped, never retried.' },
  'client-id-reuse': { breaks: ['reg.client-id-unique', 'dc.new-client-id'], description: 'A Client ID that was retired or left without a user is handed out again to the next device that needs a new ID.' },
  'keep-id-on-user-change': { breaks: ['policy.per-user-and-device.new-id-on-change'], description: 'Under per-user-and-device, another user on the same device keeps the device\'s Client ID.' },
  'per-registration-keeps-unchanged': { breaks: ['policy.per-registration.new-id'], description: 'Under per-registration, a re-registration with nothing changed gets its old Client ID back.' },
  'per-device-new-id-for-new-user': { breaks: ['policy.per-device.keeps-id'], description: 'Under per-device, a device gets a new Client ID when another user registers on it.' },
  'multi-device-moves': { breaks: ['dc.multi-device.keeps-earlier', 'query.current-associations'], description: 'A sip: user is handled like a tel: SIM: a new device ends the association with the earlier ones.' },
  'query-lists-stale-id': { breaks: ['query.current-associations'], description: 'The Client ID Response also lists IDs the user had on devices it left.' },
  'query-empty-bag-for-none': { breaks: ['msg.client-id-response.null-when-none'], description: 'A query about a user without Client ID is answered Client-ID [] (ICS declares E47 strict).' },
  'header-over-ie': { breaks: ['reg.identity-ie-over-header', 'reg.identity-from-request'], description: 'When both are present, the X-DPE-* network header wins over the identity IE of the request.' },
  'ip-as-device-identity': { breaks: ['reg.ip-change-not-device-change'], description: 'The source address (X-Forwarded-For, else the socket) is made part of the device identity.' },
  'missing-identity-accepted': { breaks: ['reg.no-identity-rejected', 'binding.rejected-no-state-change'], description: 'A registration with no identity at all gets a Client ID, keyed by its Notify-URI.' },
  'error-object-without-ie': { breaks: ['binding.error-object'], description: 'Error objects never name the IE at fault (Code and Detail are right).' },
  'release-lists-policies': { breaks: ['msg.policy-release.wildcard', 'dc.release-policies'], description: 'Instead of one DPE_Policy_Release "*", one release per defined property or group policy is sent (none when nothing is defined); the group release is right.' },
  'dpe1-integer-message-ids': { breaks: ['msg.group-release.ies', 'msg.policy-release.ies'], description: 'Server-to-client DPE-1 messages carry Message-ID as a JSON integer (one counter shared with DPE-2), not a string.' },
  'report-user-identity-string': { breaks: ['msg.client-id-report.ies'], description: 'A report\'s User-Identity is the identity as a plain string (as in the DPE-2 sets), not a bag; null stays null.' },
  'response-own-message-id': { breaks: ['msg.client-id-response.echo-message-id'], description: 'The DPE_Client_ID_Response carries a Message-ID of the server\'s own (a report counter value) instead of the query\'s.' },
  'registration-response-new-message-id': { breaks: ['reg.response-echoes-message-id'], description: 'The DPE_Registration_Response carries a server-generated Message-ID instead of echoing the request\'s.' },
  'query-not-concerning': { breaks: ['cid.report-on-change', 'cid.report-first-association'], description: 'A DPE_Client_ID_Query is answered but does not make the SP concerned with the user; only sets do.' },
  'id-follows-sim': { breaks: ['dc.new-client-id', 'policy.per-user-and-device.new-id-on-change'], description: 'Under per-user-and-device, on a SIM move the new device is given the Client ID the device the SIM left had (that device loses it), so nothing is reported.' },
  'triggered-registration-new-id': { breaks: ['policy.per-user-and-device.same-id', 'reg.server-driven'], description: 'Under per-user-and-device, a registration that answers a DPE_Registration_Trigger gets a new Client ID although user and device are unchanged (reported, no releases).' },
  'query-latest-id-only': { breaks: ['query.current-associations'], description: 'The Client ID Response lists only the Client ID of the user\'s most recently associated device (a multi-device user\'s earlier devices are left out).' },
  'no-retry-on-http-error': { breaks: ['cid.report-survives-sp-outage', 'cid.report-retry-keeps-message-id'], description: 'A report is retried after a network error or timeout only; one the SP answered with a non-2xx status is given up at once.' },
  'unauthorized-as-forbidden': { breaks: ['sp.unauthorized-rejected', 'binding.error-object'], description: 'A DPE-2 message without a valid bearer token is answered 403 with Code "FORBIDDEN" instead of 401 UNAUTHORIZED (nothing changes).' },
  'missing-identity-as-missing-ie': { breaks: ['reg.no-identity-rejected'], description: 'A registration with no determinable identity is rejected with Code MISSING_IE (IE User-Identity) instead of MISSING_IDENTITY.' },
  'user-change-on-device-not-device-change': { breaks: ['dc.usecase.identity-change-same-device', 'dc.release-groups', 'dc.release-policies'], description: 'A known device that registers with another user identity than its current one is not handled as a device change: the Client ID follows the policy, but no releases and no sets are sent.' },
  'unchanged-releases-without-sets': { breaks: ['dc.unchanged-keeps-settings', 'dc.unchanged-no-releases'], description: 'A client-driven re-registration with nothing changed sends both "*" releases and no sets ("revalidate" read as "reset").' },
  'invalid-registration-changes-state': { breaks: ['binding.rejected-no-state-change'], description: 'A registration rejected for a missing or invalid IE other than the identities (e.g. Notify-URI, Message-ID) is answered 4xx, but the association named by its identity IEs is updated first (Client ID assigned, reports sent).' },
  'chunked-body-unlimited': { breaks: ['binding.body-limit'], description: 'The 64 KiB body limit is enforced only for requests with Content-Length; a chunked body of any size is read and processed.' },
  'replaces-empty-bag': { breaks: ['msg.client-id-report.replaces', 'cid.report-first-association'], description: 'Every report carries Replaces-Client-ID, an empty bag when no Client ID was replaced (E46: when present it holds one or more former IDs; a first Client ID is reported without it).' },
} satisfies Record<string, FaultSpec>;

const FREEDOMS = {
  'messages-before-response': { description: 'Server-to-client messages caused by a request are delivered before the HTTP answer is sent.', basis: 'binding, Timing and order' },
  'reports-before-response': { description: 'The first delivery attempt of a report is made before the HTTP answer (bounded wait of 1 s).', basis: 'binding, Timing and order' },
  'delivery-delay': { description: 'Every batch of server-initiated messages starts 250 ms after its cause (below the 1500 ms deadline of the example IXIT).', basis: 'binding, Timing and order (harness waits up to the delivery deadline)' },
  'policy-release-first': { description: 'On a device change DPE_Policy_Release "*" is sent before DPE_Group_Release "*".', basis: 'E30 / binding: only releases-before-sets is fixed' },
  'property-policies-first': { description: 'On a device change property policy sets are sent before the group sets (group policy sets still follow their groups).', basis: 'E30: only group policy after its group is fixed' },
  'revalidate-resend-sets': { description: 'A re-registration with nothing changed re-sends every defined set (no releases) as revalidation.', basis: '8.1.1 "establish or revalidate"; E13 tolerates re-sent sets' },
  'release-left-device': { description: 'After a SIM move, the device the SIM left is sent both "*" releases under its old Client ID.', basis: 'E25; binding "it may be sent releases"' },
  'first-registration-quiet': { description: 'The first registration of a new user on a new device is not handled as a device change: no "*" releases; groups and policies an SP defined beforehand are still established by their sets.', basis: '8.2.2 third use case "also addressable"; E24 lenient', ics: { errata: { E24: 'lenient' } } },
  'restore-groups-only': { description: 'A device change restores the defined property groups only, not the reporting policies.', basis: '8.2.2 note on "relevant"; E26 restoredSettings subset', ics: { restoredSettings: 'subset' } },
  'restore-earlier-pair-id': { description: 'Under per-user-and-device, a user back on a device gets the Client ID that pair had before.', basis: 'E09: both readings accepted', },
  'uuid-client-ids': { description: 'Client IDs are random UUIDs instead of "cid-" plus 12 hex digits.', basis: '6.1: the Client ID is a unique identifier; its format is not specified' },
  'uuid-message-ids': { description: 'DPE-1 Message-IDs sent by the server are UUIDs instead of "srv-<n>".', basis: '6.2.3.3 / 6.2.6.1: Message-ID is a String' },
  'random-report-message-ids': { description: 'Report Message-IDs are random unique 31-bit integers instead of a counter.', basis: '6.3.7 Message-ID Integer; E50 only requires uniqueness' },
  'extra-ies': { description: 'Every server message carries an extra IE "X-Independent-Server": "1".', basis: 'binding: receivers ignore IEs they do not know' },
  'omit-replaces': { description: 'Reports never carry Replaces-Client-ID.', basis: '6.3.7: Replaces-Client-ID is Optional; E54' },
  'report-new-id-only': { description: 'A report\'s Client-ID holds only the newly assigned Client ID, not every current one.', basis: '6.3.7 "one of the currently valid Client IDs"; E53 lenient', ics: { errata: { E53: 'lenient' } } },
  'null-user-report-first': { description: 'The report with User-Identity null is sent before the report about the user.', basis: '8.2.3 fixes no order between reports' },
  'no-null-user-reports': { description: 'No report with User-Identity null is ever sent.', basis: 'E52', ics: { nullUserReports: false } },
  'no-first-association-report': { description: 'A user\'s first Client ID is not reported.', basis: 'E33 lenient', ics: { errata: { E33: 'lenient' } } },
  'reject-single-identity': { description: 'A registration with only one determinable identity is rejected with MISSING_IDENTITY.', basis: 'E17 lenient', ics: { errata: { E17: 'lenient' } } },
  'no-network-identity-headers': { description: 'X-DPE-User-Identity / X-DPE-Device-Identity are ignored.', basis: '8.1.1 "may include"; E19', ics: { networkIdentityHeaders: false } },
  'no-registration-trigger-endpoint': { description: 'POST /provisioning/registration-triggers is not offered (404).', basis: 'E07: server-driven registration optional', ics: { serverDrivenRegistration: false } },
  'no-provisioning-endpoint': { description: 'POST /provisioning/service-providers is not offered; SPs come from --sp only.', basis: 'binding, Onboarding: the endpoint is optional', ics: { provisioningEndpoint: false } },
  'group-release-ie-hyphen': { description: 'DPE_Group_Release carries "Group-ID" (the 8.2.2 prose spelling) instead of "Group_ID".', basis: 'E01 lenient', ics: { errata: { E01: 'lenient' } } },
  'response-type-query': { description: 'DPE_Client_ID_Response carries Message-Type "DPE_Client_ID_Query", as the 6.3.6.2 table literally says.', basis: 'E03 lenient', ics: { errata: { E03: 'lenient' } } },
  'empty-bag-none': { description: '"None" is an empty array instead of null, in responses and reports.', basis: 'E47 lenient', ics: { errata: { E47: 'lenient' } } },
  'bag-newest-first': { description: 'The Client-ID bags of responses and reports list the user\'s IDs newest first (reverse order of association).', basis: 'tables 6.3.6.2 and 6.3.7: Client-ID is a Bag (string); freedoms.md: bag order' },
  'error-extra-fields': { description: 'Error objects word Detail differently and carry extra fields of their own ("Status", "Request-ID") inside Error; answers carry an X-Request-ID header.', basis: 'binding, Errors (Code and IE fixed); freedoms.md: error Detail and extra fields' },
  'rapid-retries': { description: 'A report the SP did not take is retried every 50 ms for up to 4.5 s from the first attempt, same Message-ID.', basis: 'binding, DPE-2 server to SP (at-least-once); freedoms.md: retry as often and as fast as it likes within the retry horizon' },
  'duplicate-report-deliveries': { description: 'Every report, once accepted, is delivered again with the same Message-ID and content at once, and a third time 400 ms later, after newer reports may have gone out (as after lost acknowledgements).', basis: 'binding, DPE-2 server to SP: at-least-once delivery, the SP drops duplicates by Message-ID' },
  'reports-before-device-messages': { description: 'The messages a request causes to devices start only after the first delivery attempt of each report it causes (bounded wait of 500 ms).', basis: 'binding, Timing and order (only releases-before-sets is fixed); 8.2.2 and 8.2.3 fix no order between device messages and reports' },
  'paced-deliveries': { description: 'Consecutive messages to one destination (device or SP) are sent 100 ms apart (a per-destination rate limit).', basis: 'binding, Timing and order: any time within the delivery deadline' },
  'chunked-deliveries': { description: 'Outbound messages are sent with Transfer-Encoding chunked (no Content-Length) in two chunks, and header names in lower case ("dpe-client-id").', basis: 'binding fixes POST, a JSON body and the DPE-Client-ID header; HTTP/1.1 framing and header-name case (RFC 9110 5.1) are the transport\'s' },
  'json-charset-content-type': { description: 'Outbound messages carry Content-Type "application/json; charset=utf-8".', basis: 'binding: Content-Type application/json (the media type; a charset parameter does not change it, RFC 8259 11)' },
  'shared-relay-message-id': { description: 'A set an SP defines for a multi-device user is relayed to each current device with one and the same Message-ID.', basis: '6.2.3.3 / 6.2.6.1 Message-ID "identifies the message"; no DPE-1 uniqueness rule in the CR or the binding' },
  'policy-release-ie-underscore': { description: 'DPE_Policy_Release carries "Policy_ID" (the 6.2.6.1 signature spelling) instead of "Policy-ID".', basis: 'E02 lenient', ics: { errata: { E02: 'lenient' } } },
  'server-default-group': { description: 'A device change also sets a server-chosen group "srv-diagnostics" after the defined sets.', basis: '8.2.2 note on "relevant" (new groups applicable for the device); E31 lenient', ics: { errata: { E31: 'lenient' } } },
  'validate-before-auth': { description: 'On /dpe-2 the body is checked (PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, MALFORMED_JSON) before the bearer token; a well-formed JSON body is authenticated before its IEs are validated.', basis: 'binding, Authentication guarantee is about "a DPE-2 message"; a body that is no JSON object is no message (binding, Errors)' },
  'empty-hook-answers': { description: 'The provisioning hooks answer 201 / 202 with an empty body.', basis: 'binding, SP onboarding and other test hooks: the table gives only the status' },
} satisfies Record<string, FreedomSpec>;

export type FaultName = keyof typeof FAULTS;
export type FreedomName = keyof typeof FREEDOMS;

export const INDEPENDENT_FAULTS: Array<{ name: string; breaks: string[]; description: string }> =
  Object.entries(FAULTS).map(([name, f]) => ({ name, breaks: [...f.breaks], description: f.description }));

export const INDEPENDENT_FREEDOMS: Array<{ name: string; description: string; basis: string; ics?: Record<string, unknown> }> =
  Object.entries(FREEDOMS).map(([name, f]) => ({ name, ...f }));

export function isFaultName(name: string): name is FaultName {
  return Object.prototype.hasOwnProperty.call(FAULTS, name);
}
export function isFreedomName(name: string): name is FreedomName {
  return Object.prototype.hasOwnProperty.call(FREEDOMS, name);
}

/** The ICS (shape of docs/examples/ics.json) this server declares by default for a policy. */
export function independentIcs(policy: ClientIdPolicy): Record<string, unknown> {
  return {
    implementation: { name: 'Independent DPE Server', version: '0.1.0' },
    clientIdPolicy: policy,
    restoredSettings: 'all-defined',
    networkIdentityHeaders: true,
    serverDrivenRegistration: true,
    provisioningEndpoint: true,
    nullUserReports: true,
    // One-identity registrations are accepted (E17 strict); first registrations are device
    // changes (E24 strict); reports list every current ID (E53 strict).
    errata: { E01: 'strict', E02: 'strict', E03: 'strict', E17: 'strict', E24: 'strict', E31: 'strict', E33: 'strict', E47: 'strict', E53: 'strict' },
  };
}

/** The ICS for a policy with freedoms switched on: each freedom's `ics` merged in. */
export function icsWithFreedoms(policy: ClientIdPolicy, freedoms: readonly string[]): Record<string, unknown> {
  const ics = independentIcs(policy);
  for (const name of freedoms) {
    const extra = INDEPENDENT_FREEDOMS.find((f) => f.name === name)?.ics ?? {};
    for (const [key, value] of Object.entries(extra)) {
      ics[key] = key === 'errata' ? { ...(ics.errata as object), ...(value as object) } : value;
    }
  }
  return ics;
}
