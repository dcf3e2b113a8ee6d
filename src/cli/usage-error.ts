/**
 * A usage or configuration mistake: found before anything runs, reported with what is wrong
 * and how to fix it, exit code 2, and nothing written to the reports folder.
 */
export class UsageError extends Error {
  /** 'configuration': an ICS or IXIT file is invalid; 'usage': an option or a combination. */
  kind: 'usage' | 'configuration' = 'usage';

  constructor(
    /** What is wrong, in one line, naming the option or file field. */
    readonly what: string,
    /** How to fix it. */
    readonly fix: string,
  ) {
    super(`${what}\n  fix: ${fix}`);
    this.name = 'UsageError';
  }
}

/** The lines printed for a usage error. */
export const describeUsageError = (e: UsageError): string => `dpe-conformance: ${e.kind} error: ${e.what}\n  fix: ${e.fix}\n`;
