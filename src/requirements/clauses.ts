/**
 * The clauses this harness tests, in the order of the change request and then the binding,
 * each with its title and the rule it states in the project's own words (the CR is quoted only
 * for message, IE and value names). The generated docs (scripts/gen-docs.ts) and the
 * documentation site (scripts/site/) read them from here; requirements carry the clause id
 * (`clause`), scenarios the tag `@clause-<id>`.
 */

export interface Clause {
  /** '8.2.2', or 'binding' for the rules of the wire binding. */
  id: string;
  title: string;
  /** Where the change request carries it. */
  inCr: string;
  /** The rule, in the project's words: what an implementation has to do and why. */
  rule: string;
}

export const CLAUSES: readonly Clause[] = [
  {
    id: '6.1',
    title: 'Messages through DPE-1',
    inCr: 'Change 1 (update of 6.1)',
    rule:
      "Over DPE-1 a device's DPE Client obtains a Client ID: an identifier the DPE Server assigns and " +
      'both sides use for every later DPE exchange. A registration starts in one of two ways only: the ' +
      'client sends its own request, or the server makes the client send a fresh one. How Client IDs are ' +
      "handed out is the deployment's choice among three policies — a new one for every registration, " +
      'one per pairing of user and device (valid while neither changes), or one per device for good. ' +
      'Whatever the policy, a Client ID identifies one device at a time.',
  },
  {
    id: '8.1.1',
    title: 'DPE Client Registration',
    inCr: 'Change 2 (update of 8.1.1)',
    rule:
      'A DPE Client registers with its DPE Server when it starts up. The server answers every valid ' +
      'registration with the Client ID for that device — a new one or one assigned before, as its policy ' +
      'says — and keeps the user identity, the device identity and the Client ID together, so that later ' +
      'operations reach the right device. Registration is also when the server establishes or revalidates ' +
      "the client's settings and tells the Service Providers concerned that a user's Client ID changed. " +
      "Where the identities come from (the request or the network) is the server's business; an IP address " +
      'is not an identity, since addresses are reassigned and shared.',
  },
  {
    id: '8.2.2',
    title: 'Device Change',
    inCr: 'Change 3 (new clause 8.2.2)',
    rule:
      'A registration in which the user identity or the device identity changed is a device change: a SIM ' +
      'moved to a device the server has not associated with that user, a multi-device user on a device new ' +
      'to them, a new user on a new device. The server then makes sure the client now in use holds the ' +
      "user's current settings: it gives a Client ID that conflicts with none allocated before where " +
      'needed, releases every property group (Group_ID `*`) and every reporting policy (Policy-ID `*`), and ' +
      'sets every relevant property group, property reporting policy and group reporting policy defined ' +
      "for the user. Which groups and policies are relevant is the implementation's choice.",
  },
  {
    id: '8.2.3',
    title: 'Client ID Change',
    inCr: 'Change 4 (new clause 8.2.3)',
    rule:
      'Whenever the Client ID associated with a user changes, the server makes sure the Service Providers ' +
      'concerned learn of it, by sending them a DPE_Client_ID_Report.',
  },
  {
    id: '6.2.3.3',
    title: 'DPE_Group_Release',
    inCr: 'Change 5 (table of 6.2.3.3)',
    rule:
      'The server tells a client to release a property group with DPE_Group_Release: Message-Type ' +
      '(`DPE_Group_Release`), Group_ID (the group, or `*` for all of them) and Message-ID, all mandatory ' +
      'strings.',
  },
  {
    id: '6.2.6.1',
    title: 'DPE_Policy_Release',
    inCr: 'Change 6 (table of 6.2.6.1)',
    rule:
      'The server tells a client to release a reporting policy, on a property or on a group, with ' +
      'DPE_Policy_Release: Message-Type (`DPE_Policy_Release`), Policy-ID (the policy, or `*` for all of ' +
      'them) and Message-ID, all mandatory strings.',
  },
  {
    id: '6.3.6.2',
    title: 'DPE_Client_ID_Response',
    inCr: 'Change 7 (table of 6.3.6.2)',
    rule:
      "The server answers a Service Provider's DPE_Client_ID_Query with DPE_Client_ID_Response: " +
      'Message-Type, Message-ID (an integer, the one of the query) and Client-ID (a bag of strings, the ' +
      'Client IDs associated with the user; null when there is none), all mandatory.',
  },
  {
    id: '6.3.7',
    title: 'DPE_Client_ID_Report',
    inCr: 'Change 8 (new clause 6.3.7)',
    rule:
      "The server reports a change in a user's association with a Client ID to a Service Provider with " +
      'DPE_Client_ID_Report: Message-Type, Message-ID (an integer), User-Identity and Client-ID (bags of ' +
      'strings; null when there is no longer a user, or no longer a Client ID) are mandatory; ' +
      'Replaces-Client-ID, optional, names a Client ID the user had that is no longer valid.',
  },
  {
    id: 'binding',
    title: 'Wire binding (docs/binding.md)',
    inCr: "not in the CR: the project's HTTP/JSON binding",
    rule:
      'The change request names messages but no transport. The binding fixes one: how clients, the server ' +
      'and Service Providers address each other over HTTP/JSON, the messages the CR names without tabling ' +
      'them (registration, DPE_Group_Set, the policy sets, DPE_Client_ID_Query), errors, timing and order, ' +
      'and what every implementation guarantees. Its rules fail a run like those of the CR; where the two ' +
      'disagree, the CR wins.',
  },
];

/** Clause ids in document order. */
export const CLAUSE_ORDER: readonly string[] = CLAUSES.map((c) => c.id);

export function clauseById(id: string): Clause | undefined {
  return CLAUSES.find((c) => c.id === id);
}

/**
 * The clauses a piece of CR text names ("6.2.3.3, table of ...; 8.2.2, second action bullet"),
 * in order of appearance. A sub-clause counts for its clause (6.3.7.1 is 6.3.7); a number that is
 * only the tail of a longer one (the 6.1 in 6.2.6.1) does not count.
 */
export function clausesNamedIn(text: string, known: readonly string[] = CLAUSE_ORDER): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![\d.])\d+(?:\.\d+)+(?![\d])/g)) {
    const n = m[0].replace(/\.$/, '');
    const hit = known.filter((c) => n === c || n.startsWith(`${c}.`)).sort((a, b) => b.length - a.length)[0];
    if (hit && !found.includes(hit)) found.push(hit);
  }
  return found;
}
