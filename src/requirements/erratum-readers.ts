/**
 * Where the harness's own checks read a switchable erratum (beyond requirement applicability and
 * the message catalog's lenient spellings): one list, shown in docs/errata.md and kept equal to
 * the `erratumReading(..., 'Exx')` calls in src/ and mocks/ by test/unit/errata-switches.test.ts,
 * so a switch that no check reads, or a check that reads an undeclared switch, fails a test.
 */
export interface ErratumReader {
  erratum: string;
  /** The check, in words, and where it lives. */
  check: string;
}

export const HARNESS_READERS: readonly ErratumReader[] = [
  {
    erratum: 'E01',
    check: 'a mock device applies a DPE_Group_Release by Group-ID as well (mocks/dpe-state.ts, set up in src/harness/scenario.ts)',
  },
  { erratum: 'E01', check: 'the "*" release checks read Group-ID as well (src/harness/areas/device-outcome.ts)' },
  {
    erratum: 'E02',
    check: 'a mock device applies a DPE_Policy_Release by Policy_ID as well (mocks/dpe-state.ts, set up in src/harness/scenario.ts)',
  },
  { erratum: 'E02', check: 'the "*" release checks read Policy_ID as well (src/harness/areas/device-outcome.ts)' },
  {
    erratum: 'E24',
    check: 'the oracle requires nothing restored on the first registration of a new user on a new device (src/harness/oracle.ts)',
  },
  { erratum: 'E31', check: 'the oracle tolerates server-chosen settings after a device change (src/harness/oracle.ts)' },
  { erratum: 'E33', check: "no report is owed for a user's first Client ID (src/harness/areas/client-id.ts)" },
  {
    erratum: 'E47',
    check:
      'an empty bag stands for null in query answers, reports and message tables (src/harness/areas/client-id.ts, client-id-checks.ts, messages.ts)',
  },
  {
    erratum: 'E53',
    check: "an SP's last report must list every current Client ID only under the strict reading (src/harness/areas/client-id.ts)",
  },
];
