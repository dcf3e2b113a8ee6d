/** What the request handlers of one server share: options, seams, state and the outbound paths. */
import type { MessageValidator } from '../catalog/validate';
import type { ClientMessage } from './procedures/device-change';
import type { Delivery } from './delivery-types';
import type { ResolvedOptions } from './options';
import type { ServerSeams } from './seams';
import type { AddressPolicy } from './security';
import type { ServerState } from './state';

export interface ServerContext {
  readonly opts: ResolvedOptions;
  readonly seams: ServerSeams;
  readonly state: ServerState;
  readonly validator: MessageValidator;
  readonly notifyHosts: AddressPolicy;
  /** Queues one outbound message (through the deliver seam). */
  send(d: Delivery): void;
  /** Queues server-to-client messages, each with a fresh Message-ID; `batch` ties a device-change procedure together. */
  sendToClient(notifyUri: string, clientId: string, msgs: ClientMessage[], batch?: string): void;
  /** Runs a state transition touching `users`, then reports every Client ID change (8.2.3). */
  withReports<T>(users: () => Iterable<string>, transition: () => T & { affectedUsers?: string[] }): T;
  newClientId(): string;
}
