/**
 * DPE-2 requests from a party that is not an onboarded SP, or that presents its token wrongly:
 * the binding answers each 401 UNAUTHORIZED and changes nothing (features/robustness).
 */
import type { User } from './oracle';

/** How such a party presents itself, in the feature files' words. */
export const CREDENTIALS = ['without a token', 'with an unknown token', 'with a token of another scheme', 'with an empty bearer token', 'with the token in lower-case scheme and junk after it'] as const;
export type Credentials = (typeof CREDENTIALS)[number];

/** The body of each DPE-2 message as an intruder would send it, and its Authorization header (undefined: none). */
export function unauthorisedRequest(credentials: Credentials, message: string, user: User, knownToken: string, nonce: string): { body: Record<string, unknown>; authorization: string | undefined } {
  const auth: Record<Credentials, string | undefined> = {
    'without a token': undefined,
    'with an unknown token': `Bearer unknown-${nonce}-token`,
    'with a token of another scheme': `Basic ${knownToken}`,
    'with an empty bearer token': 'Bearer ',
    'with the token in lower-case scheme and junk after it': `bearer ${knownToken}x`,
  };
  const bodies: Record<string, Record<string, unknown>> = {
    DPE_Group_Set: { 'Group-ID': 'spy', Properties: ['gps'] },
    DPE_Property_Policy_Set: { 'Policy-ID': 'spy-watch', Property: 'gps', Policy: { Trigger: 'on-change' } },
    DPE_Group_Policy_Set: { 'Policy-ID': 'spy-hourly', 'Group-ID': 'spy', Policy: { Trigger: 'periodic', Period: 60 } },
    DPE_Client_ID_Query: { 'Query-Key': user.identity },
  };
  const extra = bodies[message];
  if (!extra) throw new Error(`no unauthorised form of ${message}; known: ${Object.keys(bodies).join(', ')}`);
  const body = { 'Message-Type': message, 'Message-ID': 1, ...(message === 'DPE_Client_ID_Query' ? {} : { 'User-Identity': user.identity }), ...extra };
  return { body, authorization: auth[credentials] };
}
