/** Domain words of the feature files, turned into names the Scenario understands, in one place. */
import { defineParameterType } from '@cucumber/cucumber';

defineParameterType({ name: 'device', regexp: /(?:phone|tablet|laptop|watch) [A-Z]/, transformer: (s: string) => s });
defineParameterType({ name: 'user', regexp: /Alice|Bob|Carol|Dave|Erin/, transformer: (s: string) => s });
defineParameterType({ name: 'provider', regexp: /the (\w+) provider/, transformer: (alias: string) => alias });
