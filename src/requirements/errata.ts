/**
 * Errata of the change request (/work/shared/spec, CR "device change use cases"): every typo,
 * inconsistency and open point found in its text, with the reading the harness applies.
 *
 * Ids: E01–E03 are fixed (the message catalog, src/catalog/messages.ts, refers to them);
 * E04 onwards follow the order of the CR text. Ids are never reused or renumbered: an erratum
 * the editors resolve keeps its id and its entry says so.
 *
 * An erratum with `governs: 'strict-lenient'` is switchable per implementation through the
 * ICS `errata` map (`{"E17": "lenient"}`); absent from the map, `defaultReading` applies.
 * `governs: 'ics-field'` means another ICS answer (`icsField`) decides the reading;
 * `governs: 'none'` means the harness has one fixed reading.
 */

export interface Erratum {
  /** E01, E02, ... */
  id: string;
  /** One line naming the problem, used as the heading in docs/errata.md. */
  title: string;
  /** Clause of the CR plus the table, row or paragraph. */
  where: string;
  problem: string;
  /** How the harness reads the text. */
  reading: string;
  governs?: 'strict-lenient' | 'ics-field' | 'none';
  /** When governed by another ICS field, e.g. restoredSettings. */
  icsField?: string;
  /** What each reading accepts, when switchable. */
  strict?: string;
  lenient?: string;
  defaultReading?: 'strict' | 'lenient';
  /**
   * Switchable errata: server variants that behave per the lenient reading. `npm run mutation`
   * runs each under an ICS declaring the erratum lenient (the whole suite must pass) and strict
   * (a check of the strict reading must catch it), and the reference server (strict behaviour)
   * under the lenient ICS (must pass: lenient accepts both).
   */
  proof?: { lenient: string[]; independent: string[] };
}

export const ERRATA: readonly Erratum[] = [
  {
    id: 'E01',
    title: 'Group_ID in the 6.2.3.3 table, Group-ID in the 8.2.2 text',
    where: '6.2.3.3, table of DPE_Group_Release, row Group_ID; 8.2.2, second action bullet',
    problem:
      'The table names the IE `Group_ID` (underscore) while its neighbours are hyphenated ' +
      '(`Message-Type`, `Message-ID`) and 8.2.2 sends the release "with Group-ID set to `*`". ' +
      'The 6.2.6.1 table, by contrast, uses the hyphen (`Policy-ID`).',
    reading:
      'The table is normative and the binding spells IEs as the tables do, so the IE on the wire ' +
      'is `Group_ID`. A server that follows the 8.2.2 prose is accepted only under the lenient reading.',
    governs: 'strict-lenient',
    strict: 'Only `Group_ID` is accepted in a DPE_Group_Release.',
    lenient: '`Group_ID` or `Group-ID` is accepted (exactly one of them must be present).',
    defaultReading: 'strict',
    proof: { lenient: ['group-release-hyphenated-ie'], independent: ['group-release-ie-hyphen'] },
  },
  {
    id: 'E02',
    title: 'Policy_ID in the 6.2.6.1 signature, Policy-ID in its table',
    where: '6.2.6.1, signature line versus table row Policy-ID',
    problem: 'The signature lists `Policy_ID`; the table and 8.2.2 ("with Policy-ID set to `*`") use `Policy-ID`.',
    reading: 'The table wins: the IE is `Policy-ID`.',
    governs: 'strict-lenient',
    strict: 'Only `Policy-ID` is accepted in a DPE_Policy_Release.',
    lenient: '`Policy-ID` or `Policy_ID` is accepted (exactly one of them must be present).',
    defaultReading: 'strict',
    proof: { lenient: ['policy-release-underscored-ie'], independent: ['policy-release-ie-underscore'] },
  },
  {
    id: 'E03',
    title: 'The DPE_Client_ID_Response table gives Message-Type the value DPE_Client_ID_Query',
    where: '6.3.6.2, table of DPE_Client_ID_Response, row Message-Type',
    problem:
      'The message identifier of the response is given as "DPE_Client_ID_Query", the name of the ' +
      'request it answers; every other table gives the message its own name. A copy-and-paste slip.',
    reading: 'The response is identified as `DPE_Client_ID_Response`, as the binding says.',
    governs: 'strict-lenient',
    strict: 'Message-Type must be `DPE_Client_ID_Response`.',
    lenient: 'Message-Type `DPE_Client_ID_Response` or `DPE_Client_ID_Query` is accepted in the response.',
    defaultReading: 'strict',
    proof: { lenient: ['response-type-from-table'], independent: ['response-type-query'] },
  },
  {
    id: 'E04',
    title: 'Cross-reference "[6.1.2 Device Change]" points to a clause that does not exist',
    where: '6.1, third paragraph',
    problem:
      'Registration is said to be initiated "as described in [8.1.1 ...] and [6.1.2 Device Change]". ' +
      'The CR adds Device Change as 8.2.2; there is no 6.1.2.',
    reading: 'The reference means 8.2.2 Device Change.',
    governs: 'none',
  },
  {
    id: 'E05',
    title: 'Typo "takes process"',
    where: '6.1, third paragraph',
    problem: '"how and when the registration process takes process" — "takes place" is meant.',
    reading: 'Read as "takes place". No effect on tests.',
    governs: 'none',
  },
  {
    id: 'E06',
    title: 'Empty bullet in the list of example approaches',
    where: '6.1, third paragraph, first bullet of "Example approaches"',
    problem:
      'The first bullet has no text. An example (probably client-initiated registration at start-up, ' +
      'matching 8.1.1) seems to have been lost.',
    reading: 'Ignored; client-driven registration is covered by 8.1.1 and the last paragraph of 6.1.',
    governs: 'none',
  },
  {
    id: 'E07',
    title: 'Server-driven registration: neither its strength nor its mechanism is defined',
    where: '6.1, second bullet of "Example approaches" and last paragraph',
    problem:
      'Server-initiated registration appears only as an example ("DPE Servers are designed to ..."), ' +
      'yet the last paragraph counts it as one of the "only two ways" to start a registration. ' +
      'How the server "will force the Client to resend a request" is not specified: no message is named.',
    reading:
      'Server-driven registration is an optional feature. The binding supplies the mechanism ' +
      '(`DPE_Registration_Trigger`, provoked through POST /provisioning/registration-triggers); ' +
      'its requirements are checked only when the ICS declares serverDrivenRegistration.',
    governs: 'ics-field',
    icsField: 'serverDrivenRegistration',
  },
  {
    id: 'E08',
    title: 'The three Client ID policies are listed as registration examples, with no way to choose one',
    where: '6.1, fourth bullet of "Example approaches"',
    problem:
      'The bullet on how Client IDs are assigned sits among examples of when registration happens, ' +
      'although it is a different subject. The three policies (per registration, per user of a ' +
      'device, per device) are offered with "may", nothing says which one a server uses or how it ' +
      'is made known, and "identity does not change" should read "do not change" (two subjects).',
    reading:
      'Each implementation declares its policy in the ICS (clientIdPolicy); the policy-specific ' +
      'requirements apply to the declared policy only.',
    governs: 'ics-field',
    icsField: 'clientIdPolicy',
  },
  {
    id: 'E09',
    title: 'Per user of a device: does a user who returns to an earlier device get the old Client ID back?',
    where: '6.1, fourth bullet ("once for each user of a device (i.e. valid while ... does not change)")',
    problem:
      '"Once for each user of a device" suggests one Client ID per user-device pair, which would come ' +
      'back when the pair recurs; "valid while the associated MSISDN / SIP URI and device identity ' +
      'does not change" suggests the ID dies once the pair changes, so a returning pair gets a new one.',
    reading:
      'Both are accepted under per-user-and-device: a user back on an earlier device may get the ' +
      'earlier Client ID or a new one, provided no other device holds that ID at the time.',
    governs: 'none',
  },
  {
    id: 'E10',
    title: 'Typo "DPE Server to assigns"',
    where: '6.1, fourth bullet',
    problem: '"i.e. DPE Server to assigns a DPE Client ID" — "the DPE Server assigns" is meant.',
    reading: 'Read as "the DPE Server assigns". No effect on tests.',
    governs: 'none',
  },
  {
    id: 'E11',
    title: 'Messages used by the CR but not tabled in it',
    where: '6.1 last paragraph; 8.1.1; 8.2.2 action bullets; 6.3.6.2 (note on OMA-DCAP-2008-0067)',
    problem:
      "The registration request and response, the server's way of forcing a registration, " +
      '`DPE_Group_Set`, the property and group policy sets and `DPE_Client_ID_Query` are used but ' +
      'their IEs are not given here; 6.3.6.2 depends on another CR (OMA-DCAP-2008-0067) that is not ' +
      'part of this one, and the full DPE TS is not public.',
    reading:
      "These messages are defined by the project's wire binding (docs/binding.md) and catalogued " +
      'with clause "binding" or the clause that uses them; where the binding and the CR disagree the CR wins.',
    governs: 'none',
  },
  {
    id: 'E12',
    title: 'Which Service Providers must be told: "related" / "as necessary"',
    where: '8.1.1, first paragraph ("inform related Service Providers ... as necessary"); 8.2.3',
    problem:
      'Neither clause says which SPs are "related" or when informing them is "necessary". Telling ' +
      'every SP about every user would leak the association to SPs with no business knowing it.',
    reading:
      "An SP is concerned with a user once it has queried that user's Client ID or set a group or " +
      'policy for that user (binding). Every concerned SP is told of each change; an SP not concerned ' +
      'with the user is told nothing about that user.',
    governs: 'none',
  },
  {
    id: 'E13',
    title: '"Establish or revalidate" settings on every registration versus releases only on a change',
    where: '8.1.1, first paragraph, against 8.2.2',
    problem:
      'Registration is "the trigger ... to establish or revalidate the current DPE settings", but only ' +
      '8.2.2 says what to send, and only when user or device identity changed. What a re-registration ' +
      'with nothing changed (e.g. scheduled, 6.1) may cause is left open.',
    reading:
      'A re-registration with the same user and device identity is not a device change: no release ' +
      "of all groups or all policies is sent. Re-sending the user's defined sets is tolerated as " +
      'revalidation. Whether the Client ID changes is decided by the declared policy.',
    governs: 'none',
  },
  {
    id: 'E14',
    title: '"A valid registration request" is not defined',
    where: '8.1.1, second paragraph',
    problem: 'The CR has no table for the registration request, so validity cannot be judged from it.',
    reading:
      "Valid means: well-formed per the binding's DPE_Registration_Request schema and at least one " +
      "identity determinable. Anything else is rejected with the binding's error object and changes nothing.",
    governs: 'none',
  },
  {
    id: 'E15',
    title: 'The Client ID policy is attributed to the "DPE Service Provider"',
    where: '8.1.1, second paragraph ("per the DPE Service Provider\'s deployment policy")',
    problem:
      'In DPE, Service Providers are the parties on DPE-2; the Client ID policy belongs to whoever ' +
      'deploys the DPE Server (the DPE provider, as 6.3.7 calls it).',
    reading: "The deployment policy is the DPE provider's; it is declared as clientIdPolicy in the ICS.",
    governs: 'ics-field',
    icsField: 'clientIdPolicy',
  },
  {
    id: 'E16',
    title: 'What "retain" the association means is not observable as written',
    where: '8.1.1, third paragraph',
    problem:
      'The server SHALL retain user identity, device identity and Client ID, but for how long, and how ' +
      'a multi-device user (several associations) is kept, is not said; no interface exposes the store.',
    reading:
      'Retention is judged by its effects: the Client ID Query answers with the current association, ' +
      'a re-registration of the same pair is recognised (no device change), and a changed pair is ' +
      'detected as a device change. Retention lasts at least for the run.',
    governs: 'none',
  },
  {
    id: 'E17',
    title: 'Registration from which only one of the two identities can be determined',
    where: '8.1.1, third paragraph',
    problem:
      'The server SHALL retain both a user identity and a device identity, but the request may carry ' +
      'either, both or neither, and the network may supply the rest or not. The CR does not say ' +
      'whether one identity is enough. The binding rejects only a request where neither is known.',
    reading:
      'By default either answer is accepted for a one-identity registration: a Client ID, or a ' +
      'rejection with `MISSING_IDENTITY` that changes nothing. A missing identity is never taken as a ' +
      'changed identity. Left open, with no scenario on it: a user registered with a user identity ' +
      'only who later registers with a device identity too may be taken as a device change (the ' +
      "user's first known device: the reference server does so) or as the same device become known; " +
      'the suite judges neither.',
    governs: 'strict-lenient',
    strict: 'A registration with only one determinable identity must be answered with a Client ID.',
    lenient: 'It may be answered with a Client ID or rejected with `MISSING_IDENTITY`.',
    defaultReading: 'lenient',
    proof: { lenient: ['requires-both-identities', 'requires-device-identity'], independent: ['reject-single-identity'] },
  },
  {
    id: 'E18',
    title: '"Network identity" where "user identity" is meant',
    where: '8.1.1, third paragraph ("the method of obtaining the network identity and device identity")',
    problem: 'The preceding sentence speaks of user identity (MSISDN or SIP URI); "network identity" appears nowhere else.',
    reading: 'Read as "user identity".',
    governs: 'none',
  },
  {
    id: 'E19',
    title: 'No precedence between identities in the request and identities from the network',
    where: '8.1.1, third paragraph ("Other than as optionally provided in the registration request ...")',
    problem:
      'Both sources are allowed; which one wins when they disagree is not said (a network-asserted ' +
      'identity is arguably more trustworthy than one the client asserts).',
    reading:
      'As in the binding: the request IE is used when present; the X-DPE-* header only when the IE is ' +
      'absent. Checked only for implementations that declare networkIdentityHeaders.',
    governs: 'ics-field',
    icsField: 'networkIdentityHeaders',
  },
  {
    id: 'E20',
    title: 'IP address as an identity: "Further study is needed"',
    where: '8.1.1, fourth and fifth paragraphs',
    problem:
      'The CR explains why an IPv4 address is a poor identity, suggests an IPv6 address might serve as ' +
      'device identity, and then leaves the point open. It does not say whether an address change is ' +
      'a device change, nor what happens when several devices share one address (NAT, proxy).',
    reading:
      'Identity comes only from the Device-Identity / User-Identity IEs or the network headers. A change ' +
      'of source address alone is not a device change, and two devices behind one address are two devices.',
    governs: 'none',
  },
  {
    id: 'E21',
    title: 'What a "change" is measured against; a SIM returning to an earlier device',
    where: '8.2.2, first paragraph and first two use-case bullets ("previously not associated with this user")',
    problem:
      'A device change is "any case in which there has been a change in user identity or device ' +
      'identity", without saying compared with what. The use cases speak of a device "previously not ' +
      'associated with this user", which literally excludes a SIM moved back to a device it was on before.',
    reading:
      'The comparison is with the current association: a registration whose user-device pair is not ' +
      'currently associated is a device change, whether or not the pair existed at some earlier time.',
    governs: 'none',
  },
  {
    id: 'E22',
    title: '"Same case" note conflates a SIM move and an identity change on one device',
    where: '8.2.2, first use-case bullet, note',
    problem:
      'A SIM moving to another device keeps the user and changes the device; a user changing identity ' +
      'on the device keeps the device and changes the user. The server sees different things, though ' +
      'both are device changes.',
    reading: 'Both are device changes with the same obligations; the harness tests each separately.',
    governs: 'none',
  },
  {
    id: 'E23',
    title: 'A SIM move and a multi-device user on a new device look alike',
    where: '8.2.2, first and second use-case bullets',
    problem:
      'Both are "a known user registers from a device not associated with them"; the CR does not say ' +
      'how the server tells whether the earlier device keeps its association.',
    reading:
      'As in the binding: an MSISDN (`tel:`) is on one device at a time, so it moves; a SIP URI ' +
      '(`sip:`) user may use several devices, so the new one is added and earlier ones stay.',
    governs: 'none',
  },
  {
    id: 'E24',
    title: 'New user on a new device is only "also addressable" as a device change',
    where: '8.2.2, third use-case bullet',
    problem:
      'The first registration of an unknown user on an unknown device "is a special case also ' +
      'addressable as a device change": it is unclear whether the releases and sets are then required.',
    reading:
      'By default the server may or may not treat it as a device change; the other first-registration ' +
      'rules (a Client ID, a report to concerned SPs) still apply.',
    governs: 'strict-lenient',
    strict:
      'The first registration of a new user on a new device is a device change: both releases, then the ' +
      'sets of anything already defined for the user, are required.',
    lenient: 'No release or set is required on such a first registration; any that are sent are still checked for form and order.',
    defaultReading: 'lenient',
    proof: { lenient: ['first-registration-not-device-change'], independent: ['first-registration-quiet'] },
  },
  {
    id: 'E25',
    title: 'Nothing is said about the device the user left',
    where: '8.2.2, second paragraph ("ensure that the current DPE Client has ...")',
    problem:
      'The obligations concern only the current client. Whether the previous device (after a SIM move) ' +
      'has its settings released, or its Client ID revoked, is not said.',
    reading:
      "As in the binding: the device the user left may be sent releases, never a set of that user's " +
      'settings (dc.previous-device-no-settings); nothing is required for it. Its Client ID is no longer ' +
      'associated with the user (the Client ID Query no longer lists it for that user).',
    governs: 'none',
  },
  {
    id: 'E26',
    title: '"Relevant" settings versus "all defined" settings',
    where: '8.2.2, second paragraph, action bullets 4–6 and the note on "relevant"',
    problem:
      'Each restoring bullet speaks of "any relevant" groups or policies yet sends the message "for all ' +
      'defined" ones; the note then lets the server decide, by its own criteria, which apply to the device.',
    reading:
      'The ICS answer restoredSettings decides: `all-defined` — every group and policy defined for the ' +
      'user is set on the new client; `subset` — the server chooses, and only the weaker rules apply.',
    governs: 'ics-field',
    icsField: 'restoredSettings',
  },
  {
    id: 'E27',
    title: 'When a new Client ID is "necessary"; per-device IDs that "never change"',
    where: '8.2.2, first action bullet, against 6.1 fourth bullet',
    problem:
      '"Allocating a new Client ID as necessary to avoid conflict" does not say when it is necessary, ' +
      "and a per-device policy promises that a device's Client ID never changes.",
    reading:
      'What is necessary follows the declared policy: per-registration — always new; per-user-and-device ' +
      '— new whenever the pair is not currently associated; per-device — a device keeps its own ID and ' +
      'a device seen for the first time gets a new one. Under every policy, no Client ID is held by two ' +
      'devices at once.',
    governs: 'ics-field',
    icsField: 'clientIdPolicy',
  },
  {
    id: 'E28',
    title: 'Message names with spaces in the prose',
    where: '8.2.2 action bullets 3, 5, 6; 8.2.3; 6.3.6.2 and 6.3.7 introductory sentences',
    problem:
      '"DPE Policy Release", "DPE Property Policy Set", "DPE Group Policy Set", "DPE Client ID Report" and ' +
      '"DPE Client ID Response" are written with spaces, while the tables and the other bullets use ' +
      'identifiers with underscores ("DPE_Group_Release").',
    reading:
      'They name the messages whose Message-Type values are the underscored identifiers; only those values are accepted on the wire.',
    governs: 'none',
  },
  {
    id: 'E29',
    title: 'Typo "by by"',
    where: '8.2.2, action bullets 5 and 6',
    problem: '"by by sending" appears twice.',
    reading: 'Read as "by sending". No effect on tests.',
    governs: 'none',
  },
  {
    id: 'E30',
    title: 'The order of the releases and the sets is not specified',
    where: '8.2.2, action bullets',
    problem:
      'The bullets are not said to be steps in order. A release of all groups or all policies that ' +
      'arrives after the sets would wipe what was just restored; a group policy set that arrives before ' +
      'its group would refer to a group the client does not have.',
    reading:
      'As in the binding: for one device change both releases reach the client before any set (a failure). ' +
      "That a group policy set comes after the set of the group it names is the harness's own reading " +
      '(dc.order-group-before-policy, derived): the mock client records a policy that names a group it does ' +
      'not hold, and the run passes with a warning. Beyond that, only the state the client ends up holding is judged.',
    governs: 'none',
  },
  {
    id: 'E31',
    title: 'Restored settings may be new ones or be re-associated by the server',
    where: '8.2.2, note on "relevant", second and third sentences',
    problem:
      'The note lets the server send "new groups/policies applicable for the current device" and ' +
      'leaves it to the implementation "if/how" restored settings relate to what SPs requested. Taken ' +
      'literally, any set message would conform, and a client could receive settings nobody defined.',
    reading:
      'By default (strict) every setting the client holds after a device change must be one an SP defined ' +
      'for the user, with the same identifier and content. The rule is derived (dc.sets-only-defined): a ' +
      'foreign setting is a warning, and a failure only when the ICS itself declares E31 strict.',
    governs: 'strict-lenient',
    strict: 'Every set sent on a device change matches a group or policy defined for the user (same id, same content).',
    lenient:
      'Additional server-chosen sets are tolerated; the rules requiring every defined setting (restoredSettings = all-defined) still apply.',
    defaultReading: 'strict',
    proof: { lenient: ['restores-server-default-group'], independent: ['server-default-group'] },
  },
  {
    id: 'E32',
    title: 'Typo "as as"',
    where: '8.2.3',
    problem: '"informed as as necessary" — one "as" is too many.',
    reading: 'Read as "as necessary" (see E12 for what it means). No effect on tests.',
    governs: 'none',
  },
  {
    id: 'E33',
    title: 'Is a user\'s first Client ID a "change in the Client ID associated with a user"?',
    where: '8.2.3',
    problem:
      'A user who had no Client ID and now has one has had the association change, but 8.2.3 may have ' +
      'been meant only for replacements. An SP can be concerned with a user before the user ever ' +
      'registers (by setting a group for them).',
    reading: 'By default a first Client ID is a change: each SP already concerned with the user is told, with ' + 'no Replaces-Client-ID.',
    governs: 'strict-lenient',
    strict: 'SPs concerned with the user get a report when the user obtains a first Client ID.',
    lenient: 'No report is required for a first Client ID; one that is sent is still checked.',
    defaultReading: 'strict',
    proof: { lenient: ['no-first-association-report'], independent: ['no-first-association-report'] },
  },
  {
    id: 'E34',
    title: 'Signatures use underscores and upper case, tables use hyphens',
    where: 'Signature lines of 6.2.3.3, 6.2.6.1, 6.3.6.2 and 6.3.7',
    problem:
      'Signatures write `Message_Type`, `Message_ID`, `Group_ID`, `Policy_ID`, `Query_Key` and name ' +
      'messages in capitals (`DPE_GROUP_RELEASE`), while the tables write `Message-Type`, `Message-ID` ' +
      'and the Message-Type values in mixed case; the 6.3.7 signature mixes both styles.',
    reading: 'The tables are normative for IE names and values; signatures are ignored where they differ (E01–E03 aside).',
    governs: 'none',
  },
  {
    id: 'E35',
    title: 'The release messages have no Message / Requirement / Direction table',
    where: '6.2.3.3 and 6.2.6.1',
    problem:
      'The DPE-2 messages of 6.3.6.2 and 6.3.7 state their requirement (Mandatory) and direction; the ' +
      'two release messages do not, so their support status and direction come only from the prose.',
    reading:
      'Both releases are sent by the server to the client (the prose says so) and are mandatory, ' +
      'since 8.2.2 requires the server to send them.',
    governs: 'none',
  },
  {
    id: 'E36',
    title: 'Lower-case "should" for the `*` value against SHALL in 8.2.2',
    where: '6.2.3.3 row Group_ID; 6.2.6.1 row Policy-ID',
    problem:
      '"If `*`, all groups should be released" (and likewise for policies) is lower-case and so not a ' +
      'requirement keyword, while 8.2.2 makes sending the `*` releases a SHALL.',
    reading:
      "The server's duty to send the `*` releases follows from 8.2.2 (SHALL). `*` means all groups / all " +
      'policies; what the client does with it is out of scope for a server test.',
    governs: 'none',
  },
  {
    id: 'E37',
    title: 'Message-ID is a String on DPE-1 and an Integer on DPE-2',
    where: '6.2.3.3 and 6.2.6.1 (String) against 6.3.6.2 and 6.3.7 (Integer), row Message-ID',
    problem: 'The same IE has two types depending on the interface, without comment.',
    reading: 'Taken as written: a JSON string on DPE-1, a JSON integer on DPE-2 (binding). A numeric string on DPE-2 is invalid.',
    governs: 'none',
  },
  {
    id: 'E38',
    title: 'Every table is captioned "Table 1"',
    where: 'Captions of the tables in 6.2.3.3, 6.2.6.1, 6.3.6.2, 6.3.7',
    problem: 'All four IE tables are numbered 1, so they cannot be cited by number.',
    reading: 'Tables are cited by clause and message name. No effect on tests.',
    governs: 'none',
  },
  {
    id: 'E39',
    title: 'The 6.2.6.1 signature names DPE_GROUP_POLICY_RELEASE',
    where: '6.2.6.1, signature line',
    problem:
      'The clause defines DPE_Policy_Release (one message for both property and group policies), but the ' +
      'signature calls it DPE_GROUP_POLICY_RELEASE.',
    reading: 'The message is DPE_Policy_Release, as the heading and its Message-Type value say.',
    governs: 'none',
  },
  {
    id: 'E40',
    title: 'Policy-ID described as "the policy associated to the response"',
    where: '6.2.6.1, row Policy-ID',
    problem: 'A release is not a response; the description was copied from another table.',
    reading: 'Policy-ID identifies the policy to be released; `*` means all of them.',
    governs: 'none',
  },
  {
    id: 'E41',
    title: 'Typo "polcies"',
    where: '6.2.6.1, row Policy-ID',
    problem: '"all polcies should be released".',
    reading: 'Read as "policies". No effect on tests.',
    governs: 'none',
  },
  {
    id: 'E42',
    title: 'The 6.2.6.1 caption says "DPE Property Group Release"',
    where: '6.2.6.1, table caption',
    problem: 'The table belongs to DPE_Policy_Release; "Property Group Release" names no message.',
    reading: 'The table is that of DPE_Policy_Release. No effect on tests.',
    governs: 'none',
  },
  {
    id: 'E43',
    title: "The 6.3.6.2 signature lists Query_Key instead of the response's IEs",
    where: '6.3.6.2, signature line',
    problem:
      '"DPE_CLIENT_ID_RESPONSE (Message_Type, Query_Key)" names the key of the query; the table gives ' +
      'Message-Type, Message-ID and Client-ID and no query key.',
    reading: 'The table wins: the response carries Message-Type, Message-ID and Client-ID only.',
    governs: 'none',
  },
  {
    id: 'E44',
    title: 'Client ID Response "associated with a user or device", but the query key is a user identity',
    where: '6.3.6.2, introductory sentence, against its Client-ID row',
    problem:
      'The prose says the response returns the Client ID of "a user or device"; the Client-ID row speaks ' +
      "only of the user, and the binding's Query-Key is a user identity.",
    reading: 'Queries are by user identity only; querying by device identity is not tested.',
    governs: 'none',
  },
  {
    id: 'E45',
    title: 'The arrow in the Direction columns is lost',
    where: '6.3.6.2 and 6.3.7, Message / Requirement / Direction tables',
    problem: '"DPE Server ( Service Provider": the arrow glyph has become a parenthesis.',
    reading: 'Read as "DPE Server → Service Provider", which the prose confirms.',
    governs: 'none',
  },
  {
    id: 'E46',
    title: 'Bag-typed IEs are described in the singular',
    where: '6.3.6.2 row Client-ID; 6.3.7 rows User-Identity, Client-ID, Replaces-Client-ID',
    problem:
      'Each is a "Bag (string)" but described as "The DPE Client ID", "User identity", "A DPE Client ID", ' +
      'so how many elements a bag holds, and what several would mean, is left open.',
    reading:
      'A bag is a JSON array of strings. User-Identity holds the identity the user registered with; ' +
      'Client-ID holds the Client ID(s) (see E53); Replaces-Client-ID holds one or more former IDs.',
    governs: 'none',
  },
  {
    id: 'E47',
    title: 'A null value versus an empty bag',
    where: '6.3.6.2 row Client-ID; 6.3.7 rows User-Identity and Client-ID',
    problem: '"A null value indicates that there is no Client ID"; an empty bag could say the same, and the CR does not rule it out.',
    reading: 'By default "none" must be JSON null, as the binding says.',
    governs: 'strict-lenient',
    strict: 'Only JSON null means "none"; an empty array is invalid.',
    lenient: 'An empty array is accepted wherever null means "none".',
    defaultReading: 'strict',
    proof: { lenient: ['response-empty-bag-for-none', 'report-empty-bag-for-none'], independent: ['empty-bag-none'] },
  },
  {
    id: 'E48',
    title: 'Placeholder "Figure 6.X" and a duplicated heading',
    where: '6.3.7 and 6.3.7.1',
    problem:
      '"Figure 6.X.: DPE Client ID Report" is an unnumbered placeholder with no figure, and 6.3.7.1 ' +
      'repeats the title of 6.3.7 with no sibling subclause.',
    reading: 'Editorial; no effect on tests.',
    governs: 'none',
  },
  {
    id: 'E49',
    title: 'The 6.3.7 signature omits Message-ID',
    where: '6.3.7.1, signature line',
    problem: 'The signature lists Message_Type, User-Identity, Client-ID, Replaces-Client-ID; the table makes Message-ID mandatory.',
    reading: 'The table wins: Message-ID is mandatory.',
    governs: 'none',
  },
  {
    id: 'E50',
    title: 'Report Message-ID: uniqueness and retries are not specified',
    where: '6.3.7.1, row Message-ID',
    problem:
      'It "identifies the message", but nothing says whether it is unique per report or what happens ' + 'when delivery to the SP fails.',
    reading:
      'As in the binding: delivery is at least once; each report has its own Message-ID and a retry of ' +
      'a report keeps it, so the SP can discard duplicates.',
    governs: 'none',
  },
  {
    id: 'E51',
    title: 'User-Identity description lists IMEI and speaks of "query keys"',
    where: '6.3.7.1, row User-Identity',
    problem:
      'IMEI is a device identity (8.1.1 says so), not a user identity; "the options for query keys" ' +
      'belongs to the Client ID Query, not to a report; and "SIP Public Identity" is what 8.1.1 calls a SIP URI.',
    reading: 'User-Identity carries the user identity the user registered with (MSISDN or SIP URI), never a device identity.',
    governs: 'none',
  },
  {
    id: 'E52',
    title: 'A report whose User-Identity is null: what it means and who receives it',
    where: '6.3.7.1, rows User-Identity and Client-ID',
    problem:
      'User-Identity null means a Client ID with no current user, but 8.2.3 triggers reports per user, ' +
      'and Client-ID is described as "associated with the user" — there is none. Which SPs get such a ' +
      'report, and which Client ID it carries, is not said.',
    reading:
      'Only for implementations declaring nullUserReports: when a Client ID loses its user (under per-device, ' +
      'the SIM leaves the device for another one and nobody else registers on it), SPs concerned with the ' +
      'former user may get a report with User-Identity null and Client-ID naming that orphaned ID. (Another user ' +
      'taking the device is not such a case: the ID has a user again.)',
    governs: 'ics-field',
    icsField: 'nullUserReports',
  },
  {
    id: 'E53',
    title: 'Multi-device users: Client-ID is "one of the currently valid" IDs, yet a bag',
    where: '6.3.7.1, row Client-ID',
    problem:
      'The note says the Client-ID "will represent one of the currently valid Client IDs" of a multi-device ' +
      "user, while the IE is a bag that could list all of them; the 6.3.6.2 response lists the user's IDs.",
    reading:
      'By default the bag must contain the Client ID that changed (the new one) and every ID in it must ' +
      'be currently valid for the user; listing all of them is allowed.',
    governs: 'strict-lenient',
    strict: 'Client-ID lists every Client ID currently valid for the user.',
    lenient: 'Client-ID holds at least the new Client ID; all listed IDs are currently valid for the user.',
    defaultReading: 'lenient',
    proof: { lenient: ['report-new-id-only'], independent: ['report-new-id-only'] },
  },
  {
    id: 'E54',
    title: 'Replaces-Client-ID: "no longer valid" does not fit the per-device policy',
    where: '6.3.7.1, row Replaces-Client-ID',
    problem:
      'The replaced ID is described as "no longer valid"; under per-device the former ID stays valid for ' +
      "its device and is only no longer the user's. When the optional IE must be sent is not said.",
    reading:
      'Read as "no longer associated with the user". The IE stays optional; when present it lists only ' +
      'IDs the user no longer has, never a current one.',
    governs: 'none',
  },
];

export function erratum(id: string): Erratum {
  const e = ERRATA.find((x) => x.id === id);
  if (!e) throw new Error(`no erratum "${id}"`);
  return e;
}
