/**
 * The bodies of the binding's optional test hooks (docs/binding.md, "Test hooks"): SP onboarding
 * and server-driven registration. They are the upper tester's requests, not DPE messages, so
 * they are not in the message catalog; their IE names are defined here once, those they share
 * with DPE messages taken from the catalog.
 */
import { IE } from './protocol';

export const HOOK_IE = {
  SPID: 'SP-ID',
  Token: 'Token',
  NotifyURI: IE.NotifyURI,
  /** Proof on re-onboarding: the SP's current token (when Token is the new one). */
  CurrentToken: 'Current-Token',
  ClientID: IE.ClientID,
} as const;

/** POST /provisioning/service-providers: onboards (or re-onboards) an SP. */
export type Onboarding = {
  [HOOK_IE.SPID]: string;
  [HOOK_IE.Token]: string;
  [HOOK_IE.NotifyURI]: string;
  [HOOK_IE.CurrentToken]?: string;
};

/** The IEs an onboarding must carry, each a non-empty string. */
export const ONBOARDING_IES = [HOOK_IE.SPID, HOOK_IE.Token, HOOK_IE.NotifyURI] as const;

/** POST /provisioning/registration-triggers: the server sends DPE_Registration_Trigger to that client. */
export type RegistrationTrigger = { [HOOK_IE.ClientID]: string };
