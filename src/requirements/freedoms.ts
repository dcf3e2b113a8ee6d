/**
 * What an implementation may do: the freedoms the change request and the binding leave open,
 * each with where it is left open and the legal variants that use it. `npm run mutation` runs
 * exactly the legal variants named here and by the errata's proofs (./errata.ts) — a legal
 * variant of nobody's freedom is not run, and a unit test fails on it — so the suite is proven
 * against the freedoms as written, not only against our own reading. docs/freedoms.md is
 * generated from this list.
 */

export interface Freedom {
  id: string;
  /** The freedom in the project's words. */
  text: string;
  /** Where the CR or binding leaves it open. */
  basis: string;
  /** Legal variants of the reference server that use it (src/server/variants/areas/, listed by legal.ts). */
  variants: string[];
  /** Freedoms of the independent implementation that use it (test/independent/variants.ts). */
  independent: string[];
}

export const FREEDOMS: readonly Freedom[] = [
  {
    id: 'timing',
    text: 'Send what a request causes before or after answering it, and deliver it any time within the delivery deadline.',
    basis: 'binding, Timing and order',
    variants: ['delayed-delivery'],
    independent: [
      'messages-before-response',
      'reports-before-response',
      'delivery-delay',
      'reports-before-device-messages',
      'paced-deliveries',
    ],
  },
  {
    id: 'release-order',
    text: 'Send the two "*" releases of a device change in either order.',
    basis: '8.2.2 action bullets (no order between them); binding, Timing and order (releases before sets only)',
    variants: ['policy-release-first'],
    independent: ['policy-release-first'],
  },
  {
    id: 'set-order',
    text: 'Send the sets of a device change in any order after the releases.',
    basis: '8.2.2 action bullets; E30',
    variants: ['group-policies-right-after-groups'],
    independent: ['property-policies-first'],
  },
  {
    id: 'revalidation',
    text: "Re-send the user's defined sets on a registration that changes nothing (revalidation), without releases.",
    basis: '8.1.1 first paragraph ("establish or revalidate"); E13',
    variants: ['resends-sets-on-unchanged-registration'],
    independent: ['revalidate-resend-sets'],
  },
  {
    id: 'left-device',
    text: 'Release the groups and policies of the device a SIM left (never set anything there).',
    basis: 'E25; binding, Settings follow the user ("it may be sent releases")',
    variants: [],
    independent: ['release-left-device'],
  },
  {
    id: 'returning-pair',
    text: 'Under per-user-and-device, give a user back on an earlier device the Client ID that pairing had, or a new one.',
    basis: '6.1 fourth bullet; E09',
    variants: ['returning-user-gets-old-id'],
    independent: ['restore-earlier-pair-id'],
  },
  {
    id: 'id-formats',
    text: 'Choose any format for Client IDs and Message-IDs (unique, of the type the tables give).',
    basis: '6.1 ("a unique identifier"); tables 6.2.3.3, 6.2.6.1, 6.3.7 row Message-ID; E37, E50',
    variants: ['uuid-client-ids', 'long-opaque-client-ids', 'random-report-message-ids', 'uuid-client-message-ids'],
    independent: ['uuid-client-ids', 'uuid-message-ids', 'random-report-message-ids'],
  },
  {
    id: 'unknown-ies',
    text: 'Add IEs of its own to any message or answer; a receiver ignores IEs it does not know.',
    basis: 'binding (messages are JSON objects of the tabled IEs; receivers ignore others)',
    variants: ['extra-ies-everywhere'],
    independent: ['extra-ies'],
  },
  {
    id: 'bag-order',
    text: 'List the Client IDs of a bag in any order.',
    basis: 'tables 6.3.6.2 and 6.3.7: Bag (string)',
    variants: ['reversed-id-order'],
    independent: ['bag-newest-first'],
  },
  {
    id: 'replaces-optional',
    text: 'Leave Replaces-Client-ID out of any report.',
    basis: '6.3.7 row Replaces-Client-ID (Optional); E54',
    variants: ['report-without-replaces'],
    independent: ['omit-replaces'],
  },
  {
    id: 'report-order',
    text: 'Send the reports of one change in any order, to one SP or several.',
    basis: '8.2.3 (no order)',
    variants: [],
    independent: ['null-user-report-first'],
  },
  {
    id: 'error-detail',
    text: "Word an error's Detail as it likes and add fields of its own (Code and IE are fixed).",
    basis: 'binding, Errors',
    variants: ['error-detail-wording'],
    independent: ['error-extra-fields'],
  },
  {
    id: 'retries',
    text: 'Retry undelivered messages as often and as fast as it likes, keeping each Message-ID, for as long as the retry horizon it declares (IXIT timing.retryHorizonMs).',
    basis: 'binding, DPE-2 server to SP (at-least-once delivery)',
    variants: ['patient-retries'],
    independent: ['rapid-retries'],
  },
  {
    id: 'redelivery',
    text: 'Deliver a report again after the SP took it (an acknowledgement lost or late): at-least-once, the SP drops the duplicate by its Message-ID.',
    basis: 'binding, DPE-2 server to SP (at-least-once delivery, duplicates dropped by Message-ID)',
    variants: [],
    independent: ['duplicate-report-deliveries'],
  },
  {
    id: 'http-framing',
    text: 'Frame its HTTP messages as HTTP allows: a chunked or a sized body, header names in any case, parameters on application/json; answer the test hooks with any body.',
    basis: 'binding (POST, a JSON body, the DPE-Client-ID header; the test hooks table gives only the status); HTTP semantics',
    variants: [],
    independent: ['chunked-deliveries', 'json-charset-content-type', 'empty-hook-answers'],
  },
  {
    id: 'relay-message-id',
    text: 'Give a set relayed to several devices of one user one Message-ID, or one per device.',
    basis: 'tables 6.2.3.3 and 6.2.6.1 (Message-ID identifies the message); E50 makes only report Message-IDs unique',
    variants: [],
    independent: ['shared-relay-message-id'],
  },
  {
    id: 'check-order',
    text: "Check a DPE-2 body's size, media type and JSON before or after its bearer token.",
    basis: 'binding, Authentication and Errors (the order of the checks is open)',
    variants: [],
    independent: ['validate-before-auth'],
  },
  {
    id: 'restored-subset',
    text: 'Restore an implementation-specific subset of the defined settings, declared as restoredSettings subset.',
    basis: '8.2.2 note on "relevant"; E26',
    variants: ['restores-subset'],
    independent: ['restore-groups-only'],
  },
  {
    id: 'optional-features',
    text: 'Leave out network identity headers, User-Identity-null reports and the upper-tester endpoints, declaring so in the ICS.',
    basis: '8.1.1 ("may include"); E07; E52; binding, SP onboarding and other test hooks',
    variants: ['no-network-identities', 'no-null-user-reports', 'no-upper-tester-endpoints'],
    independent: ['no-network-identity-headers', 'no-null-user-reports', 'no-registration-trigger-endpoint'],
  },
];
