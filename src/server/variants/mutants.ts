/**
 * Faulty servers: each breaks the requirement(s) it names, through one seam, and nothing else.
 * They live with their procedure area (./areas/: registration, device-change, client-id-change,
 * messages, delivery, security); this is the list of all of them, area by area.
 */
import { CLIENT_ID_CHANGE_MUTANTS } from './areas/client-id-change';
import { DELIVERY_MUTANTS } from './areas/delivery';
import { DEVICE_CHANGE_MUTANTS } from './areas/device-change';
import { MESSAGES_MUTANTS } from './areas/messages';
import { REGISTRATION_MUTANTS, WRONG_POLICY } from './areas/registration';
import { SECURITY_MUTANTS } from './areas/security';
import type { Variant } from './seam-tools';

export const MUTANTS: Variant[] = [
  ...REGISTRATION_MUTANTS,
  ...DEVICE_CHANGE_MUTANTS,
  ...CLIENT_ID_CHANGE_MUTANTS,
  ...MESSAGES_MUTANTS,
  ...DELIVERY_MUTANTS,
  ...SECURITY_MUTANTS,
];

/** Issue 3: servers that declare one Client ID policy and assign under another (registration area). */
export { WRONG_POLICY };
