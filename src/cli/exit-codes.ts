/** Exit codes of dpe-conformance; 2 is never a verdict on the implementation. */
export const EXIT = {
  /** Every applicable requirement passed (or a SHOULD only warned). */
  pass: 0,
  /** Not conformant: a SHALL failed, or the run cannot certify. */
  fail: 1,
  /** Environment or usage error: nothing was judged. */
  environment: 2,
} as const;
