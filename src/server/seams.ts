/** Replaceable parts of the server: the seams faulty and variant servers are built through (src/server/variants/). */
import { randomFillSync } from 'node:crypto';
import type http from 'node:http';
import type { ClientIdPolicy } from '../config/ics';
import type { MessageValidator } from '../catalog/validate';
import type { Direction } from '../catalog/messages';
import type { Message } from '../catalog/protocol';
import { IE, message } from '../catalog/protocol';
import { attemptDelivery } from './attempt';
import type { ClientIdAssigner } from './client-id-policy';
import { ASSIGNERS } from './client-id-policy';
import type { DeviceChangeStep } from './procedures/device-change';
import { DEVICE_CHANGE_STEPS } from './procedures/device-change';
import type { DpeError } from './errors';
import type { IdentityResolver } from './identity';
import { resolveIdentities } from './identity';
import type { Delivery } from './delivery-types';
import { register } from './procedures/registration';
import type { ReportPlanner } from './procedures/client-id-change';
import { planReports } from './procedures/client-id-change';
import type { DeviceRecord, ServerState, ServiceProvider } from './state';

export type Json = Record<string, unknown>;
export interface Reply {
  status: number;
  body?: unknown;
  headers?: http.OutgoingHttpHeaders;
}

/** Grouped by the procedure areas the variants are filed under (src/server/variants/areas/). */
export interface ServerSeams {
  // ---- registration (procedures/registration.ts, 8.1.1, 8.2.2 classification, 6.1 policies)
  identity: IdentityResolver;
  /** The registration transition (8.1.1, 8.2.2): associations, Client ID, device-change detection. */
  register: typeof register;
  assigners: Record<ClientIdPolicy, ClientIdAssigner>;
  /** Shape of the n-th new Client ID; the server skips any already issued. */
  mintClientId: (n: number, instance: string) => string;
  /** Answer building: registration response, query response, error answer. */
  registrationAnswer: (request: Message<'DPE_Registration_Request'>, clientId: string) => Reply;
  // ---- device change (procedures/device-change.ts, 8.2.2 actions)
  deviceChangeSteps: readonly DeviceChangeStep[];
  /** The devices an SP's group or policy for `user` is relayed to. */
  relayTargets: (state: ServerState, user: string) => Readonly<DeviceRecord>[];
  // ---- Client ID change (procedures/client-id-change.ts, 8.2.3)
  planReports: ReportPlanner;
  // ---- messages (dpe2.ts: query and response, 6.3.6.2; errors, binding)
  /** Answer to DPE_Client_ID_Query: the user's valid Client IDs. */
  queryClientIds: (state: ServerState, user: string) => string[];
  queryAnswer: (request: Message<'DPE_Client_ID_Query'>, clientIds: string[]) => Reply;
  errorAnswer: (e: DpeError) => Reply;
  // ---- delivery (outbox.ts)
  /** Hands each outbound message to the outbox (a variant may delay or decorate it). */
  deliver: (d: Delivery, send: (d: Delivery) => void) => void;
  /** What one delivery attempt sends (1 = first); retries resend the message unchanged. */
  deliveryAttempt: (d: Delivery, attempt: number) => Delivery;
  /** One delivery attempt: "delivered" on a 2xx, else what went wrong (the outbox retries on anything else). */
  attemptDelivery: typeof attemptDelivery;
  // ---- security (docs/security.md)
  /** Input validation of an inbound message against the catalog, before any state changes. */
  validate: (body: Json, direction: Direction, ctx: { state: ServerState; validator: MessageValidator }) => { type: string };
  /** The onboarded SP a DPE-2 bearer token belongs to; undefined rejects the request. */
  authenticate: (state: ServerState, token: string | undefined) => ServiceProvider | undefined;
  /** The SP that owns a group or policy id (`group:<id>`, `policy:<id>`) for `user`, if one does (SP isolation, docs/security.md). */
  definitionOwner: (state: ServerState, user: string, key: string) => string | undefined;
}

/**
 * 16 bytes from the CSPRNG, taken from a pool refilled 256 IDs at a time: one randomBytes call
 * per Client ID costs more than the rest of a registration (crypto.randomUUID pools alike).
 * Each 16 bytes are handed out once.
 */
const POOL = Buffer.alloc(16 * 256);
let poolNext = POOL.length;
function random16(): Buffer {
  if (poolNext >= POOL.length) {
    randomFillSync(POOL);
    poolNext = 0;
  }
  poolNext += 16;
  return POOL.subarray(poolNext - 16, poolNext);
}

export const DEFAULT_SEAMS: ServerSeams = {
  // registration
  identity: resolveIdentities,
  register,
  assigners: ASSIGNERS,
  // 128 random bits: a Client ID cannot be guessed from another (docs/security.md)
  mintClientId: () => `dpe-${random16().toString('base64url')}`,
  // the device's Client ID, answering the request's Message-ID (reg.response-client-id, reg.response-echoes-message-id)
  registrationAnswer: (request, clientId) => ({
    status: 200,
    body: message('DPE_Registration_Response', { [IE.MessageID]: request[IE.MessageID], [IE.ClientID]: clientId }),
  }),
  // device change
  deviceChangeSteps: DEVICE_CHANGE_STEPS,
  // the user's current devices only (sp.set-relayed, sp.relay-current-only): a device the SIM left
  // is no longer among them, so it is sent none of the user's settings (dc.previous-device-no-settings)
  relayTargets: (state, user) =>
    state
      .devicesOf(user)
      .map((d) => state.device(d)!)
      .filter((r) => r.clientId),
  // Client ID change
  planReports,
  // messages
  // exactly the user's Client IDs valid now (query.current-associations)
  queryClientIds: (state, user) => state.clientIdsOf(user),
  // 6.3.6.2: the query's Message-ID echoed, Client-ID null when there is none (msg.client-id-response.ies,
  // msg.client-id-response.echo-message-id, msg.client-id-response.null-when-none)
  queryAnswer: (request, ids) => ({
    status: 200,
    body: message('DPE_Client_ID_Response', { [IE.MessageID]: request[IE.MessageID], [IE.ClientID]: ids.length ? ids : null }),
  }),
  errorAnswer: (e) => ({ status: e.status, body: e.toBody() }),
  // delivery
  deliver: (d, send) => send(d),
  // a retry resends the message unchanged, Message-ID included (cid.report-retry-keeps-message-id)
  deliveryAttempt: (d) => d,
  attemptDelivery,
  // security
  validate: (body, direction, { validator }) => validator.assert(body, direction),
  authenticate: (state, token) => (token ? state.spByToken(token) : undefined),
  // the first SP to define an id for a user owns it (sp.isolation.conflict-rejected, sp.isolation.keeps-other-sps-settings)
  definitionOwner: (state, user, key) => state.ownerOf(user, key),
};
