/** The list command's output: text for people, or JSON (--json). A mistake in --ics or --tags is exit 2. */
import { EXIT } from './exit-codes';
import type { ListOptions } from './list';
import { listScenarios, renderList } from './list';
import { describeUsageError, UsageError } from './usage-error';

export async function listCommand(o: ListOptions): Promise<number> {
  try {
    const r = listScenarios(o);
    process.stdout.write(o.json ? `${JSON.stringify(r.scenarios, null, 2)}\n` : renderList(r));
    return EXIT.pass;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(describeUsageError(e));
    return EXIT.environment;
  }
}
