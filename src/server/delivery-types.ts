/** What the outbox delivers, how patiently, and what it reports about itself. */
import type { Malformed, Message, NotificationKey } from '../catalog/protocol';

export interface DeliveryOptions {
  /** Abort one attempt after this long. */
  attemptTimeoutMs: number;
  /** Attempts per message, the first included (default: no cap; the horizon ends the tries). */
  maxAttempts: number;
  /** Backoff before the second attempt; doubles each time up to maxBackoffMs. */
  retryBackoffMs: number;
  /** Longest backoff between two attempts. */
  maxBackoffMs: number;
  /** No attempt is started later than this after the message was queued (the retry horizon). */
  horizonMs: number;
  /** Messages waiting for one destination at most; a message beyond it goes to the dead letters. */
  maxQueuePerDestination: number;
  /** Dead letters kept (the oldest are forgotten first; the counters keep counting). */
  maxDeadLetters: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  attemptTimeoutMs: 2_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  retryBackoffMs: 25,
  maxBackoffMs: 5_000,
  horizonMs: 60_000,
  maxQueuePerDestination: 1_000,
  maxDeadLetters: 1_000,
};

/** A numbered server-to-client message or report (or a mutant's malformed body). */
export type OutboundBody = Message<NotificationKey | 'DPE_Client_ID_Report'> | Malformed;

export interface Delivery {
  url: string;
  headers: Record<string, string>;
  body: OutboundBody;
  /** Messages of one device-change procedure share a batch: when its release is given up, the rest is not sent. */
  batch?: string;
}

export type DeliveryLog = (event: { delivery: Delivery; attempt: number; outcome: string }) => void;

/** Why a message was given up. */
export type GiveUpReason = 'horizon' | 'max-attempts' | 'queue-full' | 'batch-abandoned' | 'shutdown' | 'closed';

export interface DeadLetter {
  destination: string;
  messageType: string;
  messageId: unknown;
  reason: GiveUpReason;
  attempts: number;
  lastOutcome?: string;
  at: string;
  delivery: Delivery;
}

export interface DeliveryCounters {
  queued: number;
  delivered: number;
  failedAttempts: number;
  gaveUp: number;
  byReason: Record<GiveUpReason, number>;
}

export interface OutboxHealth {
  queues: Array<{ destination: string; depth: number; inFlight: boolean }>;
  queued: number;
  inFlight: number;
  deadLetters: { count: number; recent: Array<Omit<DeadLetter, 'delivery'>> };
  counters: DeliveryCounters;
}
