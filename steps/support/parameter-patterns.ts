/**
 * The words of each parameter type of the feature files ("phone A", "Alice", "the maps
 * provider"…), in a module of their own: parameter-types.ts gives them to cucumber, and
 * release-steps.ts matches step texts with them outside a step run.
 */
import { CREDENTIALS } from '../../src/harness/unauthorised';

export const PARAMETER_PATTERNS = {
  device: /(?:phone|tablet|laptop|watch) [A-Z]/,
  user: /Alice|Bob|Carol|Dave|Erin/,
  provider: /the (\w+) provider/,
  message: /DPE_[A-Za-z_]+/,
  credentials: new RegExp(CREDENTIALS.join('|')),
  errorCode: /[A-Z][A-Z_]+[A-Z]/,
} as const;
