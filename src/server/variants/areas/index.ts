/** The variants by procedure area, in the order the areas are listed in docs and runs. */
import { CLIENT_ID_CHANGE } from './client-id-change';
import { DELIVERY } from './delivery';
import { DEVICE_CHANGE } from './device-change';
import { MESSAGES } from './messages';
import { REGISTRATION } from './registration';
import { SECURITY } from './security';
export type { AreaName, VariantArea } from './area';

export const AREAS = [REGISTRATION, DEVICE_CHANGE, CLIENT_ID_CHANGE, MESSAGES, DELIVERY, SECURITY] as const;
