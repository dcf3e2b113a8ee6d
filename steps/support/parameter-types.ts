/** Domain words of the feature files, turned into the scenario's parties once, in one place. */
import { defineParameterType } from '@cucumber/cucumber';
import type { MockDevice } from '../../mocks/device';
import type { MockSp } from '../../mocks/service-provider';
import type { SpFaultKind } from '../../mocks/sp-faults';
import { SP_FAULT_WORDS } from '../../mocks/sp-faults';
import type { BodySize } from '../../src/harness/oversized';
import { bodySize } from '../../src/harness/oversized';
import type { User } from '../../src/harness/oracle';
import { PARAMETER_PATTERNS } from './parameter-patterns';
import type { DpeWorld } from './world';

/** A mock DPE Client of the scenario ("phone A"). */
defineParameterType({
  name: 'device',
  regexp: PARAMETER_PATTERNS.device,
  transformer(this: DpeWorld, name: string): MockDevice {
    return this.s.device(name);
  },
});
/** A user of the scenario, with fresh identities (a SIM user unless the scenario says multi-device). */
defineParameterType({
  name: 'user',
  regexp: PARAMETER_PATTERNS.user,
  transformer(this: DpeWorld, name: string): User {
    return this.s.user(name);
  },
});
/** A mock Service Provider of the IXIT, by its alias ("the maps provider"). */
defineParameterType({
  name: 'provider',
  regexp: PARAMETER_PATTERNS.provider,
  transformer(this: DpeWorld, alias: string): MockSp {
    return this.s.sp(alias);
  },
});
/** A message of the catalog, by its Message-Type (src/catalog/messages.ts). */
defineParameterType({ name: 'message', regexp: PARAMETER_PATTERNS.message, transformer: (s: string) => s });
/** How a party that is not an onboarded SP (or not correctly) presents itself on DPE-2 (binding: Authorization). */
defineParameterType({
  name: 'credentials',
  regexp: PARAMETER_PATTERNS.credentials,
  transformer: (s: string) => s,
});
/** An error Code of the binding. */
defineParameterType({ name: 'errorCode', regexp: PARAMETER_PATTERNS.errorCode, transformer: (s: string) => s });
/** How a mock SP cannot take reports for a while (mocks/sp-faults.ts). */
defineParameterType({
  name: 'spFault',
  regexp: PARAMETER_PATTERNS.spFault,
  transformer: (s: string): SpFaultKind => SP_FAULT_WORDS[s]!,
});
/** How far over the declared body limit, and how sent (src/harness/oversized.ts). */
defineParameterType({
  name: 'bodySize',
  regexp: PARAMETER_PATTERNS.bodySize,
  transformer: (s: string): BodySize => bodySize(s),
});
/** What an SP defined: a group, or a policy (property or group policy). */
defineParameterType({
  name: 'definitionKind',
  regexp: PARAMETER_PATTERNS.definitionKind,
  transformer: (s: string) => s as 'group' | 'policy',
});
