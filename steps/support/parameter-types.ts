/** Domain words of the feature files, turned into names the Scenario understands, in one place. */
import { defineParameterType } from '@cucumber/cucumber';

defineParameterType({ name: 'device', regexp: /(?:phone|tablet|laptop|watch) [A-Z]/, transformer: (s: string) => s });
defineParameterType({ name: 'user', regexp: /Alice|Bob|Carol|Dave|Erin/, transformer: (s: string) => s });
defineParameterType({ name: 'provider', regexp: /the (\w+) provider/, transformer: (alias: string) => alias });
/** A message of the catalog, by its Message-Type (src/catalog/messages.ts). */
defineParameterType({ name: 'message', regexp: /DPE_[A-Za-z_]+/, transformer: (s: string) => s });
/** How a party that is not an onboarded SP presents itself on DPE-2 (binding: Authorization). */
defineParameterType({
  name: 'credentials',
  regexp: /without a token|with an unknown token|with a token of another scheme/,
  transformer: (s: string) => s,
});
/** An error Code of the binding. */
defineParameterType({ name: 'errorCode', regexp: /[A-Z][A-Z_]+[A-Z]/, transformer: (s: string) => s });
