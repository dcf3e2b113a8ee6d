/**
 * DPE-2 requests from a party that is not an onboarded SP, or that presents its token wrongly:
 * the binding answers each 401 UNAUTHORIZED and changes nothing (features/robustness).
 */
import type { MessageIn } from '../catalog/protocol';
import { IE, message } from '../catalog/protocol';
import type { User } from './oracle';

/** How such a party presents itself, in the feature files' words. */
export const CREDENTIALS = [
  'without a token',
  'with an unknown token',
  'with a token of another scheme',
  'with an empty bearer token',
  'with the token in lower-case scheme and junk after it',
] as const;
export type Credentials = (typeof CREDENTIALS)[number];

/** The body of each DPE-2 message as an intruder would send it, and its Authorization header (undefined: none). */
export function unauthorisedRequest(
  credentials: Credentials,
  type: string,
  user: User,
  knownToken: string,
  nonce: string,
): { body: MessageIn<'sp-to-server'>; authorization: string | undefined } {
  const auth: Record<Credentials, string | undefined> = {
    'without a token': undefined,
    'with an unknown token': `Bearer unknown-${nonce}-token`,
    'with a token of another scheme': `Basic ${knownToken}`,
    'with an empty bearer token': 'Bearer ',
    'with the token in lower-case scheme and junk after it': `bearer ${knownToken}x`,
  };
  const id = 1;
  const forUser = { [IE.MessageID]: id, [IE.UserIdentity]: user.identity };
  const bodies: Record<string, MessageIn<'sp-to-server'>> = {
    DPE_Group_Set: message('DPE_Group_Set@DPE-2', { ...forUser, [IE.GroupID]: 'spy', [IE.Properties]: ['gps'] }),
    DPE_Property_Policy_Set: message('DPE_Property_Policy_Set@DPE-2', {
      ...forUser,
      [IE.PolicyID]: 'spy-watch',
      [IE.Property]: 'gps',
      [IE.Policy]: { Trigger: 'on-change' },
    }),
    DPE_Group_Policy_Set: message('DPE_Group_Policy_Set@DPE-2', {
      ...forUser,
      [IE.PolicyID]: 'spy-hourly',
      [IE.GroupID]: 'spy',
      [IE.Policy]: { Trigger: 'periodic', Period: 60 },
    }),
    DPE_Client_ID_Query: message('DPE_Client_ID_Query', { [IE.MessageID]: id, [IE.QueryKey]: user.identity }),
  };
  const body = bodies[type];
  if (!body) throw new Error(`no unauthorised form of ${type}; known: ${Object.keys(bodies).join(', ')}`);
  return { body, authorization: auth[credentials] };
}
