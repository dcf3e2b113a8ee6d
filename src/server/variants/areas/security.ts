/**
 * The security area: who may do what: SP authentication, input validated before any state changes, the optional test hooks (binding, docs/security.md).
 * Mutants each break the requirement(s) they name through one seam; legal variants use a
 * freedom (src/requirements/freedoms.ts) and must pass. Moved here from mutants.ts / legal.ts
 * unchanged; SECURITY below declares what the area breaks and exercises (checked by test/unit/variants.test.ts).
 */
import { IE, received } from '../../../catalog/protocol';
import { ASSIGNERS } from '../../client-id-policy';
import { register as referenceRegister } from '../../procedures/registration';
import { legalVariants, mutants } from '../declare';
import { mapSeam } from '../seam-tools';
import type { VariantArea } from './area';

export const SECURITY_MUTANTS = mutants({
  'accepts-any-bearer-token': {
    breaks: ['sp.unauthorized-rejected'],
    description: 'takes a DPE-2 request with an unknown or missing token for the first onboarded SP',
    seams: mapSeam('authenticate', (sp, state) => sp ?? [...state.serviceProviders.values()][0]),
  },
  'rejected-registration-recorded': {
    breaks: ['binding.rejected-no-state-change'],
    description: 'records the identities of a registration before validating it, then rejects it',
    seams: (d) => {
      let n = 0;
      return {
        validate: (body, direction, ctx) => {
          try {
            return d.validate(body, direction, ctx);
          } catch (e) {
            const request = received('DPE_Registration_Request', body);
            const user = request[IE.UserIdentity];
            const device = request[IE.DeviceIdentity];
            if (direction === 'client-to-server' && typeof user === 'string' && typeof device === 'string') {
              const notifyUri = request[IE.NotifyURI];
              const uri = typeof notifyUri === 'string' ? notifyUri : '';
              referenceRegister(ctx.state, { user, device }, uri, ASSIGNERS['per-registration'], () => `rejected-${++n}`);
            }
            throw e;
          }
        },
      };
    },
  },

  // ---- derived: SP isolation
  'sp-overwrites-other-sps-definition': {
    breaks: ['sp.isolation.conflict-rejected', 'sp.isolation.keeps-other-sps-settings'],
    description:
      'lets any SP set a group or policy id another SP defined for the user: the last SP to set it wins, on the devices and on every device change',
    seams: () => ({ definitionOwner: () => undefined }),
  },
  'conflict-answered-as-accepted': {
    breaks: ['sp.isolation.conflict-rejected', 'sp.set-relayed'],
    description: "keeps the first SP's definition but answers the second SP's set 204, as if it had been defined and relayed",
    seams: (d) => ({ errorAnswer: (e) => (e.code === 'CONFLICT' ? { status: 204 } : d.errorAnswer(e)) }),
  },
});

export const SECURITY_LEGAL = legalVariants({
  'no-upper-tester-endpoints': {
    policies: ['per-user-and-device'],
    ics: { provisioningEndpoint: false, serverDrivenRegistration: false },
    description: 'offers neither optional provisioning endpoint, and declares so',
  },
});

export const SECURITY: VariantArea = {
  area: 'security',
  code: ['src/server/dpe2.ts', 'src/server/hooks.ts', 'src/server/app.ts'],
  seams: ['authenticate', 'validate', 'definitionOwner', 'errorAnswer'],
  breaks: [
    'sp.unauthorized-rejected',
    'binding.rejected-no-state-change',
    'sp.isolation.conflict-rejected',
    'sp.isolation.keeps-other-sps-settings',
    'sp.set-relayed',
  ],
  freedoms: ['optional-features'],
  mutants: SECURITY_MUTANTS,
  legal: SECURITY_LEGAL,
};
