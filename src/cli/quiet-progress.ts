/**
 * The terminal formatter of a CLI run: cucumber's progress dots and closing counts, without
 * its block per failure (steps, error and stack trace). The CLI prints one line per scenario
 * that did not pass, from the run's summary, once the run is scored.
 */
import { ProgressFormatter } from '@cucumber/cucumber';

export default class QuietProgressFormatter extends ProgressFormatter {
  static override readonly documentation = 'Progress dots and counts; failures are listed by dpe-conformance, one line each.';

  override logIssues(): void {
    // deliberately empty: see the module comment
  }
}
