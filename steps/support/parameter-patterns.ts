/**
 * The words of each parameter type of the feature files ("phone A", "Alice", "the maps
 * provider"…), in a module of their own: parameter-types.ts gives them to cucumber, and
 * release-steps.ts matches step texts with them outside a step run.
 */
import { SP_FAULT_WORDS } from '../../mocks/sp-faults';
import { BODY_SIZES } from '../../src/harness/oversized';
import { CREDENTIALS } from '../../src/harness/unauthorised';

export const PARAMETER_PATTERNS = {
  device: /(?:phone|tablet|laptop|watch) [A-Z]/,
  user: /Alice|Bob|Carol|Dave|Erin/,
  provider: /the (\w+) provider/,
  message: /DPE_[A-Za-z_]+/,
  credentials: new RegExp(CREDENTIALS.join('|')),
  errorCode: /[A-Z][A-Z_]+[A-Z]/,
  spFault: new RegExp(Object.keys(SP_FAULT_WORDS).join('|')),
  bodySize: new RegExp(BODY_SIZES.map((b) => b.words).join('|')),
  definitionKind: /group|policy/,
} as const;
