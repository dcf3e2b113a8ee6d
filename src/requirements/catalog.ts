/**
 * The requirement catalog: every normative statement of the change request (clauses 6.1, 8.1.1,
 * 8.2.2, 8.2.3 and the tables of 6.2.3.3, 6.2.6.1, 6.3.6.2, 6.3.7), the rules the harness derives
 * from it (`derived: true`, with the reasoning) and the rules of the wire binding (clause
 * 'binding'). Scenarios are tagged `@req-<id>` and `@clause-<clause>`; coverage and the static
 * conformance status are computed from this list. Texts are paraphrases: only message, IE and
 * value names are quoted from the CR. Errata (E01..) are in ./errata.ts.
 */
import type { IcsCondition, Requirement, Status } from './types';

const mandatory: Status = { kind: 'mandatory' };
const optional = (when: IcsCondition): Status => ({ kind: 'optional', when });
const conditional = (when: IcsCondition): Status => ({ kind: 'conditional', when });

export const REQUIREMENTS: readonly Requirement[] = [
  // ---------------------------------------------------------------- 6.1 Messages through DPE-1
  {
    id: 'reg.client-driven',
    clause: '6.1',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '6.1 last paragraph; 8.1.1 second paragraph' },
    reasoning:
      '6.1 words it with "will" (one of the only two ways to start a registration); 8.1.1 makes the ' +
      'client register and the server answer with SHALL, so accepting it is mandatory for a server.',
    text: 'A registration started by the client sending its own request is accepted by the server and processed in full.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'reg.server-driven',
    clause: '6.1',
    level: 'MAY',
    source: { kind: 'binding', where: 'Test hooks: POST /provisioning/registration-triggers, DPE_Registration_Trigger (6.1)' },
    reasoning:
      '6.1 lists server-started registration as an example and says the server forces it by making the ' +
      'client send a new request; the binding supplies DPE_Registration_Trigger (E07).',
    text:
      'When the server wants a client to register again, it makes that client send a fresh request ' +
      '(`DPE_Registration_Trigger`), and the resulting registration is handled like any other.',
    status: optional({ ics: 'serverDrivenRegistration', is: true }),
    review: 'proposed',
  },
  {
    id: 'reg.client-id-unique',
    clause: '6.1',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '6.1 first paragraph ("a unique identifier"); 8.2.2 first action bullet' },
    reasoning:
      '6.1 calls the Client ID a unique identifier assigned by the server and used for all later ' +
      'communication; 8.2.2 requires avoiding conflicts between Client IDs. Hence no Client ID may ' +
      'belong to two devices at the same time, whatever the policy.',
    text: 'At no time do two different devices hold the same Client ID.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'policy.per-registration.new-id',
    clause: '6.1',
    level: 'MAY',
    source: { kind: 'cr-text', where: '6.1 fourth bullet ("for each registration")' },
    text: 'Under the per-registration policy, every registration is answered with a Client ID not handed out before.',
    status: conditional({ ics: 'clientIdPolicy', is: 'per-registration' }),
    review: 'proposed',
  },
  {
    id: 'policy.per-user-and-device.same-id',
    clause: '6.1',
    level: 'MAY',
    source: { kind: 'cr-text', where: '6.1 fourth bullet ("once for each user of a device")' },
    text:
      'Under the per-user-and-device policy, a device that registers again with the same user ' +
      'identity gets back the Client ID it already has.',
    status: conditional({ ics: 'clientIdPolicy', is: 'per-user-and-device' }),
    review: 'proposed',
  },
  {
    id: 'policy.per-user-and-device.new-id-on-change',
    clause: '6.1',
    level: 'MAY',
    source: { kind: 'cr-text', where: '6.1 fourth bullet ("valid while ... does not change")' },
    reasoning:
      'The ID is valid only while user and device identity stay the same; a user back on an earlier ' +
      'device may get either the earlier ID or a new one (E09).',
    text:
      'Under the per-user-and-device policy, a registration whose user or device differs from the ' +
      'current pairing gets a Client ID other than the one the previous pairing had.',
    status: conditional({ ics: 'clientIdPolicy', is: 'per-user-and-device' }),
    review: 'proposed',
  },
  {
    id: 'policy.per-device.keeps-id',
    clause: '6.1',
    level: 'MAY',
    source: { kind: 'cr-text', where: '6.1 fourth bullet ("never changes it")' },
    text:
      'Under the per-device policy, a device is always answered with the same Client ID, whichever ' +
      'user registers on it and however often.',
    status: conditional({ ics: 'clientIdPolicy', is: 'per-device' }),
    review: 'proposed',
  },
  {
    id: 'policy.per-device.previous-user-loses-id',
    clause: '6.1',
    level: 'MAY',
    source: { kind: 'derived', where: '6.1 fourth bullet with 8.1.1 third paragraph' },
    reasoning:
      'If the ID stays with the device, a new user on that device takes the ID over; the user who was ' +
      'there before can no longer be associated with it, since the server retains the current user of each ' +
      'device (8.1.1) and a device has one user at a time.',
    text:
      'Under the per-device policy, once another user registers on a device, the previous user of that ' +
      'device is no longer associated with its Client ID.',
    status: conditional({ ics: 'clientIdPolicy', is: 'per-device' }),
    review: 'proposed',
  },

  // ------------------------------------------------------ 8.1.1 DPE Client Registration
  {
    id: 'reg.client-registers-at-startup',
    clause: '8.1.1',
    level: 'informative',
    source: { kind: 'cr-text', where: '8.1.1 first paragraph' },
    reasoning:
      'The CR states this with SHALL, but it binds the client, not the server under test. The mock ' +
      'devices of the harness honour it (every scenario registers a device before anything else); ' +
      'no verdict on the server is drawn from it.',
    text: 'A client registers with its DPE Server when it starts up.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'reg.response-client-id',
    clause: '8.1.1',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.1.1 second paragraph' },
    text:
      'A valid registration request is answered with a `DPE_Registration_Response` carrying the ' +
      'Client ID for the registering device, new or previously assigned as the policy decides.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'reg.retain-association',
    clause: '8.1.1',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.1.1 third paragraph' },
    reasoning: 'Observed through its effects (E16): query answers and recognition of an unchanged re-registration.',
    text:
      'The server keeps, for each registration, the user identity, the device identity and the Client ' +
      'ID together, so that later operations are tied to the right device.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'reg.identity-from-request',
    clause: '8.1.1',
    level: 'SHALL',
    source: {
      kind: 'binding',
      where: 'DPE-1 registration: an identity IE, when present, is the identity; the header is used when the IE is absent',
    },
    reasoning:
      '8.1.1 allows the identities to be carried in the request; since the server must retain them and ' +
      'the binding makes the IEs the primary source, identities present in the request must be used.',
    text: 'User and device identity given in the request (`User-Identity`, `Device-Identity`) are the ones the server associates.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'reg.identity-from-network',
    clause: '8.1.1',
    level: 'MAY',
    source: { kind: 'binding', where: 'DPE-1 registration: X-DPE-User-Identity / X-DPE-Device-Identity (8.1.1 third paragraph)' },
    text:
      'An identity missing from the request may be obtained from the network; in the binding this is ' +
      'the `X-DPE-User-Identity` / `X-DPE-Device-Identity` header.',
    status: optional({ ics: 'networkIdentityHeaders', is: true }),
    review: 'proposed',
  },
  {
    id: 'reg.single-identity-accepted',
    clause: '8.1.1',
    level: 'SHALL',
    source: { kind: 'derived', where: '8.1.1 third paragraph, read strictly (E17)' },
    reasoning: 'The binding rejects a registration only when neither identity can be determined; the CR is silent (E17).',
    text: 'A registration from which only one of the two identities can be determined is still answered with a Client ID.',
    status: conditional({ erratum: 'E17', is: 'strict' }),
    review: 'proposed',
  },
  {
    id: 'reg.ip-change-not-device-change',
    clause: '8.1.1',
    level: 'SHALL',
    source: { kind: 'derived', where: '8.1.1 fourth paragraph (IP address not the main identification)' },
    reasoning:
      '8.1.1 explains that IP addresses change through dynamic assignment and should not be the main ' +
      'identification; identity is user plus device identity (E20). A new source address alone therefore ' +
      'changes neither.',
    text:
      'A re-registration with unchanged identities but from a different IP address is not a device ' +
      'change: no releases, and the Client ID follows the policy as for any unchanged re-registration.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'reg.shared-ip-distinct-devices',
    clause: '8.1.1',
    level: 'SHALL',
    source: { kind: 'derived', where: '8.1.1 fourth paragraph' },
    reasoning:
      'Since the IP address is not the identity (E20), two devices with different device identities ' +
      'behind the same address (NAT, WAP proxy) are distinct devices.',
    text: 'Two devices registering from the same IP address are kept apart and get distinct Client IDs.',
    status: mandatory,
    review: 'proposed',
  },

  // ----------------------------------------------------------- registration, binding level
  {
    id: 'reg.response-echoes-message-id',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'DPE-1 registration: Answer (Message-ID echoed)' },
    text: 'The registration response carries the `Message-ID` of the request it answers.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'reg.no-identity-rejected',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'DPE-1 registration: neither identity determinable, the request is rejected; Errors' },
    text:
      'A registration from which neither user nor device identity can be determined is rejected with ' +
      '`MISSING_IDENTITY` and no Client ID is assigned.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'reg.identity-ie-over-header',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'DPE-1 registration: the header is used when the IE is absent' },
    reasoning: 'The binding uses the network header only when the IE is absent (E19).',
    text: 'When an identity is both in the request and in a network header, the server goes by the request.',
    status: optional({ ics: 'networkIdentityHeaders', is: true }),
    review: 'proposed',
  },

  // --------------------------------------------------------------- 8.2.2 Device Change
  {
    id: 'dc.usecase.sim-move',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.2 first use-case bullet' },
    reasoning: 'First use case of 8.2.2; a `tel:` identity moves with the SIM (binding, E23).',
    text:
      'A known user whose SIM now registers from a device not currently associated with them is ' +
      'handled as a device change on that device.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.usecase.identity-change-same-device',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.2 first use-case bullet, its note' },
    reasoning: 'The note of the first use case of 8.2.2 (E22).',
    text: 'A known device that registers with a different user identity than before is handled as a device change.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.usecase.multi-device-new-device',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.2 second use-case bullet' },
    reasoning: 'Second use case of 8.2.2; a `sip:` user may use several devices (binding, E23).',
    text: 'A multi-device user registering from a device not yet associated with them is handled as a device change on that device.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.usecase.new-user-new-device',
    clause: '8.2.2',
    level: 'MAY',
    source: { kind: 'cr-text', where: '8.2.2 third use-case bullet' },
    reasoning: 'The CR calls this case "also addressable" as a device change (E24).',
    text: 'The first registration of a user and a device both unknown to the server is handled as a device change.',
    status: conditional({ erratum: 'E24', is: 'strict' }),
    review: 'proposed',
  },
  {
    id: 'dc.multi-device.keeps-earlier',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'DPE-1 registration: SIM move or second device?' },
    reasoning: 'The binding distinguishes a second device of a `sip:` user from a SIM move (E23).',
    text: "When a multi-device user adds a device, the user's earlier devices stay associated with the user.",
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.new-client-id',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.2 first action bullet' },
    reasoning: 'When a new ID is "necessary" follows the declared policy (E27).',
    text:
      'On a device change the registering device is never given a Client ID allocated earlier to another ' +
      "device, in particular not the one of the user's previous device.",
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.release-groups',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.2 second action bullet' },
    text: 'On a device change the client receives a `DPE_Group_Release` whose Group_ID is `*`.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.release-policies',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.2 third action bullet' },
    text: 'On a device change the client receives a `DPE_Policy_Release` whose Policy-ID is `*`.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.set-groups',
    clause: '8.2.2',
    level: 'SHALL',
    source: {
      kind: 'cr-text',
      where: '8.2.2 fourth action bullet; binding, What every implementation guarantees: Settings follow the user',
    },
    reasoning: '"Relevant" versus "all defined" is settled by the ICS (E26).',
    text: 'On a device change the client receives one `DPE_Group_Set` for each property group defined for the user.',
    status: conditional({ ics: 'restoredSettings', is: 'all-defined' }),
    review: 'proposed',
  },
  {
    id: 'dc.set-property-policies',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.2 fifth action bullet; binding, Settings follow the user' },
    reasoning: '"Relevant" versus "all defined" is settled by the ICS (E26).',
    text:
      'On a device change the client receives one `DPE_Property_Policy_Set` for each property reporting ' + 'policy defined for the user.',
    status: conditional({ ics: 'restoredSettings', is: 'all-defined' }),
    review: 'proposed',
  },
  {
    id: 'dc.set-group-policies',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.2 sixth action bullet; binding, Settings follow the user' },
    reasoning: '"Relevant" versus "all defined" is settled by the ICS (E26).',
    text: 'On a device change the client receives one `DPE_Group_Policy_Set` for each group reporting policy ' + 'defined for the user.',
    status: conditional({ ics: 'restoredSettings', is: 'all-defined' }),
    review: 'proposed',
  },
  {
    id: 'dc.sets-only-defined',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'derived', where: '8.2.2 second paragraph ("the current DPE settings relevant to the user"), read strictly (E31)' },
    reasoning:
      'The sets exist to give the client "the current DPE settings relevant to the user"; with ' +
      'restoredSettings = subset this is the only check left on them, and with all-defined it makes the ' +
      'sets exactly the defined ones. The note of 8.2.2 can be read to allow server-chosen settings, ' +
      'which the lenient reading of E31 accepts.',
    text:
      'Every set the client receives on a device change is a group or policy defined for the user, with ' +
      'the identifier and content it was defined with.',
    status: conditional({ erratum: 'E31', is: 'strict' }),
    review: 'proposed',
  },
  {
    id: 'dc.order-releases-first',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'binding', where: 'Timing and order: the two releases reach the client before any set' },
    reasoning:
      'A `*` release received after the sets would wipe what was just restored, defeating the purpose ' +
      'the SHALL states; the binding fixes this order (E30).',
    text: 'Within one device change, both releases reach the client before any set does.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.order-group-before-policy',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'derived', where: '8.2.2 sixth action bullet (a group policy names a group)' },
    reasoning:
      'A group reporting policy refers to a group; set before that group exists on the client, it ' + 'would refer to nothing (E30).',
    text: 'Within one device change, a `DPE_Group_Policy_Set` reaches the client only after the set of the group it names.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.addressed-to-current-client',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'DPE-1 server to client: header DPE-Client-ID names the Client ID the message is for' },
    reasoning: 'The obligations of 8.2.2 are towards "the current DPE Client" (E25); the binding names it by the DPE-Client-ID header.',
    text:
      "The releases and sets of a device change go to the registering device's Notify-URI, labelled with " +
      'the Client ID given in its registration response.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.unchanged-no-releases',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'derived', where: '8.2.2 first paragraph (releases follow a change of identity)' },
    reasoning:
      '8.2.2 ties the releases to a change of user or device identity; a re-registration with both ' +
      'unchanged (scheduled, triggered, restarted) is revalidation, not a device change (E13). Whether ' +
      "the Client ID stays is the policy's business.",
    text: 'A re-registration with the same user and the same device causes no `*` release of groups or policies.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.release-one-message',
    clause: '8.2.2',
    level: 'SHALL',
    source: { kind: 'derived', where: '8.2.2 second and third action bullets ("the" message, singular)' },
    reasoning:
      'The bullets speak of sending "the" release with `*`; releasing by listing ids, or repeating the `*` ' +
      'release, leaves the client in the same state, so the CR does not forbid it: a warning only.',
    text: 'A device change releases all groups with one `DPE_Group_Release` and all policies with one `DPE_Policy_Release`.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.unchanged-keeps-settings',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'What every implementation guarantees: Settings follow the user' },
    reasoning:
      'Judged on the state the client holds once the messages the registration caused have been delivered: ' +
      're-sending the same sets (revalidation, E13) keeps it; a release that is not followed by the same sets does not.',
    text: 'After a registration that is not a device change, the client holds the same groups and policies it held before.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.previous-device-no-settings',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'What every implementation guarantees: Settings follow the user (a client the user no longer uses)' },
    reasoning: 'The binding allows releases to the device a user left (E25) but no settings of that user.',
    text: 'A client the user no longer uses is sent no group or policy set of that user; it may be sent releases.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'dc.relevant-implementation-defined',
    clause: '8.2.2',
    level: 'informative',
    source: { kind: 'cr-text', where: '8.2.2 note on "relevant"' },
    text:
      'Which groups and policies count as relevant for the user on the current device, and how restored ' +
      'ones relate to those SPs asked for, is up to the implementation (declared as restoredSettings).',
    status: mandatory,
    review: 'proposed',
  },

  // ------------------------------------------------------- SP settings, binding level
  {
    id: 'sp.set-relayed',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'DPE-2 SP to server: defined groups and policies are relayed to the current client(s)' },
    text:
      "A group or policy an SP sets for a user becomes one of that user's defined settings and is sent " +
      "to the user's current client(s).",
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'sp.relay-current-only',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'What every implementation guarantees: Relays' },
    text: "A group or policy an SP sets for a user reaches the user's current client(s) and no other client.",
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'sp.unauthorized-rejected',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'What every implementation guarantees: Authentication' },
    text: 'A DPE-2 message without the bearer token of an onboarded SP is rejected with `UNAUTHORIZED`.',
    status: mandatory,
    review: 'proposed',
  },

  // ------------------------------------------------- SP isolation, derived from the binding
  {
    id: 'sp.isolation.conflict-rejected',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'derived', where: "binding, DPE-2 SP to server (an SP's sets are the user's defined groups and policies); Errors" },
    reasoning:
      'A client holds one namespace of group ids and one of policy ids (releases name them by id or `*`), so an SP ' +
      "setting an id another SP defined for the same user can only replace the other SP's definition. The binding " +
      'does not say that this is forbidden, so the harness reads it: such a set is a request the server must turn away, ' +
      "and a rejected request gets a 4xx with the Error object (binding, Errors). Code CONFLICT is the reference server's own (docs/security.md).",
    text:
      "A set of a group or policy id that another SP defined for the same user, or of a policy on another SP's group, " +
      "is rejected with a 4xx answer carrying the binding's Error object (the reference server: 409 CONFLICT).",
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'sp.isolation.keeps-other-sps-settings',
    clause: 'binding',
    level: 'SHALL',
    source: {
      kind: 'derived',
      where: 'binding, DPE-2 SP to server; What every implementation guarantees: Settings follow the user, Relays',
    },
    reasoning:
      'What an SP defines for a user is what that SP relies on: a report the SP gets about a changed group reports what the ' +
      'SP asked for. If another SP could replace it (same id) or hang its own reporting policy on it, any onboarded SP could ' +
      "rewrite another's service on the user's devices, and have it restored on every device change (issue 10). The binding " +
      'does not state it, so the check warns.',
    text:
      "What one SP defined for a user stays as that SP defined it on the user's devices when another SP sets the same id or " +
      "a policy on its group, and a device change restores the first SP's definition.",
    status: mandatory,
    review: 'proposed',
  },

  // ------------------------------------------------------------ 8.2.3 Client ID Change
  {
    id: 'cid.report-on-change',
    clause: '8.2.3',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.3' },
    reasoning: 'The SPs to tell are those concerned with the user (binding, E12).',
    text:
      'Whenever the Client ID associated with a user changes, every SP concerned with that user receives ' + 'a `DPE_Client_ID_Report`.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'cid.report-concerned-only',
    clause: '8.2.3',
    level: 'SHALL',
    source: { kind: 'binding', where: 'What every implementation guarantees: Reports (to no other SP)' },
    reasoning:
      '"As necessary" (8.2.3) and "related" (8.1.1) limit the reports; telling an unrelated SP would ' +
      'disclose the association without need (E12).',
    text: 'An SP not concerned with a user receives no report about that user.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'cid.report-first-association',
    clause: '8.2.3',
    level: 'SHALL',
    source: { kind: 'cr-text', where: '8.2.3 ("any change"), read strictly (E33)' },
    reasoning: 'Whether a first Client ID is a "change" is open (E33).',
    text: 'When a user obtains a first Client ID, SPs already concerned with that user are told, without Replaces-Client-ID.',
    status: conditional({ erratum: 'E33', is: 'strict' }),
    review: 'proposed',
  },
  {
    id: 'cid.report-matches-registration',
    clause: '8.2.3',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.7 row Client-ID ("The DPE Client ID associated with the user"); 8.1.1 second paragraph' },
    reasoning:
      'The report describes the change the registration caused; a Client-ID other than the one the ' +
      'device was given would point the SP at an ID no device holds.',
    text: "The new Client ID reported for a user is the one returned in that user's registration response.",
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'cid.report-only-on-change',
    clause: '8.2.3',
    level: 'SHALL',
    source: { kind: 'derived', where: '6.3.7 ("report an update to the association")' },
    reasoning:
      'A report announces an update of the association (6.3.7); one sent when nothing changed would ' +
      'announce a change that did not happen. Under per-registration every registration is a change.',
    text: "No report about a user is sent when the user's Client ID association did not change.",
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'cid.report-message-id-unique',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'DPE-2 server to SP: Message-ID unique per report' },
    reasoning: 'The CR only says Message-ID identifies the message (E50).',
    text: 'Each report carries a Message-ID that no other report to the same SP has carried.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'cid.report-retry-keeps-message-id',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'DPE-2 server to SP: retries, the SP de-duplicates by Message-ID' },
    reasoning: 'At-least-once delivery of the binding (E50).',
    text:
      'A report the SP did not accept (non-2xx or unreachable) is delivered again, with the same ' +
      'Message-ID and content, so the SP can recognise the duplicate.',
    status: mandatory,
    review: 'proposed',
  },

  {
    id: 'cid.report-survives-sp-outage',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'DPE-2 server to SP: on a network error or non-2xx the server retries (at-least-once delivery)' },
    reasoning:
      'At-least-once delivery (E50) holds only if the server keeps trying while the SP is away; how long is the ' +
      "implementation's and declared in the IXIT (timing.retryHorizonMs). An SP back within it is owed the report.",
    text:
      'A report an SP could not take for a while (it refused it, reset the connection, left it unanswered or could not be ' +
      'reached) reaches the SP once it takes reports again, within the retry horizon the IXIT declares.',
    status: mandatory,
    review: 'proposed',
  },

  // --------------------------------------------------- 6.2.3.3 DPE_Group_Release table
  {
    id: 'msg.group-release.ies',
    clause: '6.2.3.3',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.2.3.3 table' },
    reasoning: 'IE spelling per E01.',
    text: 'A `DPE_Group_Release` carries Message-Type `DPE_Group_Release`, a string Group_ID and a string ' + 'Message-ID, all present.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'msg.group-release.wildcard',
    clause: '6.2.3.3',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.2.3.3 row Group_ID; 8.2.2 second action bullet' },
    reasoning: 'The table says lower-case "should"; the duty to use it comes from 8.2.2 (E36).',
    text: 'Releasing every group is expressed by the single value `*` in Group_ID, not by listing groups.',
    status: mandatory,
    review: 'proposed',
  },

  // --------------------------------------------------- 6.2.6.1 DPE_Policy_Release table
  {
    id: 'msg.policy-release.ies',
    clause: '6.2.6.1',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.2.6.1 table' },
    reasoning: 'IE spelling per E02; the signature name is E39.',
    text: 'A `DPE_Policy_Release` carries Message-Type `DPE_Policy_Release`, a string Policy-ID and a string ' + 'Message-ID, all present.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'msg.policy-release.wildcard',
    clause: '6.2.6.1',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.2.6.1 row Policy-ID; 8.2.2 third action bullet' },
    reasoning: 'Lower-case "should" in the table, SHALL in 8.2.2 (E36).',
    text: 'Releasing every policy, property and group policies alike, is expressed by the single value `*` ' + 'in Policy-ID.',
    status: mandatory,
    review: 'proposed',
  },

  // ----------------------------------------------- 6.3.6.2 DPE_Client_ID_Response table
  {
    id: 'query.answered',
    clause: '6.3.6.2',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.6.2 Message / Requirement / Direction table (Mandatory)' },
    reasoning: 'The message table marks the response Mandatory; the query itself comes from the binding (E11).',
    text: 'A valid `DPE_Client_ID_Query` from an onboarded SP is answered with a `DPE_Client_ID_Response`.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'msg.client-id-response.ies',
    clause: '6.3.6.2',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.6.2 table' },
    reasoning: 'Message-Type value per E03; signature per E43.',
    text:
      'A `DPE_Client_ID_Response` carries Message-Type `DPE_Client_ID_Response`, an integer Message-ID and ' +
      'a Client-ID that is a bag of strings or null.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'msg.client-id-response.echo-message-id',
    clause: '6.3.6.2',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.6.2 row Message-ID' },
    text: 'The response carries the Message-ID of the query it answers.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'msg.client-id-response.null-when-none',
    clause: '6.3.6.2',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.6.2 row Client-ID' },
    reasoning: 'Null versus an empty bag is E47.',
    text: 'Client-ID is null when the user asked about has no Client ID.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'query.current-associations',
    clause: '6.3.6.2',
    level: 'SHALL',
    source: { kind: 'binding', where: "DPE-2 SP to server: Client-ID = bag of the user's currently valid Client IDs" },
    reasoning:
      'The response returns the Client ID "associated with the user", which is the association the ' +
      'server retains now (8.1.1); a superseded ID is no longer associated.',
    text:
      "The response lists exactly the user's Client IDs valid at the time of the query: after a SIM move " +
      "the old device's ID is gone, for a multi-device user all devices' IDs are there.",
    status: mandatory,
    review: 'proposed',
  },

  // ---------------------------------------------------- 6.3.7 DPE_Client_ID_Report table
  {
    id: 'msg.client-id-report.ies',
    clause: '6.3.7',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.7 table' },
    reasoning: 'The signature omits Message-ID (E49); the table wins.',
    text:
      'A `DPE_Client_ID_Report` carries Message-Type `DPE_Client_ID_Report`, an integer Message-ID, ' +
      'User-Identity and Client-ID (each a bag of strings or null), and optionally Replaces-Client-ID (a bag).',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'msg.client-id-report.ids-current',
    clause: '6.3.7',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.7 row Client-ID ("currently valid")' },
    text:
      "When a report's Client-ID is not null, every Client ID in it is valid for the reported user at " +
      'the time of sending, and the new one is among them.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'msg.client-id-report.all-current-ids',
    clause: '6.3.7',
    level: 'SHALL',
    source: { kind: 'derived', where: '6.3.7 row Client-ID read strictly (E53)' },
    reasoning: 'The CR says "one of the currently valid" Client IDs for multi-device users; the bag could hold all (E53).',
    text: "A report's Client-ID lists all the Client IDs currently valid for the user.",
    status: conditional({ erratum: 'E53', is: 'strict' }),
    review: 'proposed',
  },
  {
    id: 'msg.client-id-report.client-id-null',
    clause: '6.3.7',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.7 row Client-ID (null)' },
    text: "When the reported user is left without any Client ID, the report's Client-ID is null.",
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'msg.client-id-report.user-null',
    clause: '6.3.7',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.7 row User-Identity (null)' },
    reasoning: 'Recipients and Client-ID content of such a report are E52.',
    text: 'A report about a Client ID that no longer has a current user carries User-Identity null.',
    status: optional({ ics: 'nullUserReports', is: true }),
    review: 'proposed',
  },
  {
    id: 'msg.client-id-report.replaces',
    clause: '6.3.7',
    level: 'SHALL',
    source: { kind: 'cr-table', where: '6.3.7 row Replaces-Client-ID' },
    reasoning: '"No longer valid" read as "no longer associated with the user" (E54).',
    text:
      'Replaces-Client-ID may be left out; when present it lists only Client IDs the user had before and ' +
      'no longer has, never one in Client-ID.',
    status: mandatory,
    review: 'proposed',
  },

  // ---------------------------------------------------------------- binding: errors
  {
    id: 'binding.error-object',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'Errors' },
    text:
      "A message the server rejects gets a 4xx answer whose body is the binding's `Error` object with " +
      'one of its listed codes, naming the IE at fault when there is one.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'binding.body-limit',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'Errors: PAYLOAD_TOO_LARGE (the limit is the one the IXIT declares, limits.maxBodyBytes)' },
    reasoning:
      'The binding names the error of a body over the limit and leaves the limit to the implementation, which declares it ' +
      'in its IXIT; a body over the declared limit that is accepted makes the declaration false.',
    text:
      'A request whose body is larger than the limit the implementation declares, sent with its length or in chunks, is ' +
      'rejected with a 4xx answer and Error Code `PAYLOAD_TOO_LARGE`, and changes nothing.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'binding.body-limit-413',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'derived', where: 'binding, Errors ("a 4xx"); HTTP: RFC 9110 15.5.14 (413 Content Too Large)' },
    reasoning:
      'The binding asks for a 4xx with Code PAYLOAD_TOO_LARGE and names no status; HTTP has one for exactly this case, ' +
      'which proxies and clients act on (a client may retry a 413 with a smaller body).',
    text: 'An over-limit body is answered with HTTP status 413.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'binding.serves-after-rejection',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'What every implementation guarantees: Rejections (a rejected message changes no state)' },
    reasoning: 'A server that stops answering after a rejection has changed its state in the one way every party notices.',
    text: 'After rejecting a request, an over-limit body included, the server goes on serving: the next request is answered as before.',
    status: mandatory,
    review: 'proposed',
  },
  {
    id: 'binding.rejected-no-state-change',
    clause: 'binding',
    level: 'SHALL',
    source: { kind: 'binding', where: 'Errors; What every implementation guarantees: Rejections' },
    reasoning:
      'The binding says a rejected message changes no state; for a registration this follows also from ' +
      '8.1.1, which obliges the server only upon a valid request (E14).',
    text: 'A rejected message changes nothing: no Client ID is assigned or replaced, no release, set or ' + 'report is sent because of it.',
    status: mandatory,
    review: 'proposed',
  },
];

export function requirement(id: string): Requirement {
  const r = REQUIREMENTS.find((x) => x.id === id);
  if (!r) throw new Error(`requirement catalog has no "${id}"`);
  return r;
}
