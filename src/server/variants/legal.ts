/**
 * Legal variants: freedoms the change request or the binding leave open; each must pass the suite.
 * They live with their procedure area (./areas/); this is the list of all of them, area by area.
 */
import { CLIENT_ID_CHANGE_LEGAL } from './areas/client-id-change';
import { DELIVERY_LEGAL } from './areas/delivery';
import { DEVICE_CHANGE_LEGAL } from './areas/device-change';
import { MESSAGES_LEGAL } from './areas/messages';
import { REGISTRATION_LEGAL } from './areas/registration';
import { SECURITY_LEGAL } from './areas/security';
import type { Variant } from './seam-tools';

export const LEGAL: Variant[] = [
  ...REGISTRATION_LEGAL,
  ...DEVICE_CHANGE_LEGAL,
  ...CLIENT_ID_CHANGE_LEGAL,
  ...MESSAGES_LEGAL,
  ...DELIVERY_LEGAL,
  ...SECURITY_LEGAL,
];
