/**
 * The actions a cohort of a load run plays (./workload.ts proposes them, ./cohort.ts performs
 * them): the kinds of registration 8.2.2 is about, the SPs' definitions and Client ID queries,
 * what each action names, and how often each kind is chosen.
 */
import type { ReportingPolicy } from '../../mocks/service-provider';

export const REGISTRATION_KINDS = ['new-user-new-device', 'sim-move', 'multi-device', 're-registration'] as const;
export const SP_KINDS = ['define-group', 'define-property-policy', 'define-group-policy', 'query'] as const;
export type RegistrationKind = (typeof REGISTRATION_KINDS)[number];
export type SpKind = (typeof SP_KINDS)[number];
export type ActionKind = RegistrationKind | SpKind;

export type Action =
  | {
      kind: RegistrationKind;
      device: string;
      user: string /** the device the SIM left */;
      from?: string /** the user whose identity the device held before */;
      displaced?: string;
    }
  | { kind: 'define-group'; sp: string; user: string; groupId: string; properties: string[] }
  | { kind: 'define-property-policy'; sp: string; user: string; policyId: string; property: string; policy: ReportingPolicy }
  | { kind: 'define-group-policy'; sp: string; user: string; policyId: string; groupId: string; policy: ReportingPolicy }
  | { kind: 'query'; sp: string; user: string };

/** How often each kind is chosen when it can be (relative weights). */
export const WEIGHTS: Readonly<Record<ActionKind, number>> = {
  'new-user-new-device': 4,
  'sim-move': 14,
  'multi-device': 6,
  're-registration': 10,
  'define-group': 20,
  'define-property-policy': 10,
  'define-group-policy': 10,
  query: 16,
};
