/**
 * The delivery area: delivery of server-initiated messages: timing, retries and what a retry resends (binding).
 * Mutants each break the requirement(s) they name through one seam; legal variants use a
 * freedom (src/requirements/freedoms.ts) and must pass. Moved here from mutants.ts / legal.ts
 * unchanged; DELIVERY below declares what the area breaks and exercises (checked by test/unit/variants.test.ts).
 */
import { IE } from '../../../catalog/protocol';
import { isReport, delayedDelivery } from '../seam-tools';
import { legalVariants, mutants } from '../declare';
import type { VariantArea } from './area';

export const DELIVERY_MUTANTS = mutants({
  'report-retry-new-message-id': {
    breaks: ['cid.report-retry-keeps-message-id'],
    description: 'gives a report a new Message-ID on every retry',
    seams: () => ({
      deliveryAttempt: (x, attempt) =>
        isReport(x) && attempt > 1 ? { ...x, body: { ...x.body, [IE.MessageID]: x.body[IE.MessageID] + 1_000_000 * (attempt - 1) } } : x,
    }),
  },
  'report-not-retried': {
    breaks: ['cid.report-retry-keeps-message-id', 'cid.report-survives-sp-outage'],
    description: 'gives up a report after one attempt the SP did not accept',
    options: { delivery: { maxAttempts: 1 } },
  },
  'report-retries-briefly': {
    breaks: ['cid.report-survives-sp-outage'],
    description: 'gives up a report after five tries within about 0.4 s (25 ms doubling), so an SP away for a second loses it (issue 10)',
    options: { delivery: { maxAttempts: 5 } },
  },
  'network-error-counted-delivered': {
    breaks: ['cid.report-survives-sp-outage'],
    description:
      'counts an attempt that failed on the network (reset, refused, timed out) as delivered, so it retries only non-2xx answers',
    seams: (d) => ({
      attemptDelivery: async (x, timeoutMs, stop) => {
        const outcome = await d.attemptDelivery(x, timeoutMs, stop);
        return /^(network error|no answer)/.test(outcome) ? 'delivered' : outcome;
      },
    }),
  },
  'attempt-never-times-out': {
    breaks: ['cid.report-survives-sp-outage'],
    description: 'waits for an answer to each attempt for an hour, so an SP that leaves a report unanswered holds it up past any horizon',
    options: { delivery: { attemptTimeoutMs: 3_600_000 } },
  },
});

export const DELIVERY_LEGAL = legalVariants({
  'delayed-delivery': {
    // one policy: every scenario now waits for its own late messages, so this run is long
    policies: ['per-user-and-device'],
    // half, not more: on two loaded cores the rest of a deadline is taken by getting the message there
    // (at 70% a correct run missed a 1.5 s deadline beside npm test's other layers)
    description: 'delivers every server-initiated message after a random delay of up to half the delivery deadline (binding: timing)',
    seams: (d, o) => delayedDelivery(d, o, 0.5),
  },
  'patient-retries': {
    policies: ['per-user-and-device'],
    // no cap on attempts: a cap of 8 at 5 ms doubling gave up within 0.7 s, which loses the report of an SP away for a second
    options: { delivery: { retryBackoffMs: 5, maxBackoffMs: 200 } },
    description:
      'retries undelivered messages more often (5 ms doubling, at most 200 ms apart) until its retry horizon (the binding fixes neither)',
  },
});

export const DELIVERY: VariantArea = {
  area: 'delivery',
  code: ['src/server/outbox.ts'],
  seams: ['deliver', 'deliveryAttempt', 'attemptDelivery'],
  breaks: ['cid.report-retry-keeps-message-id', 'cid.report-survives-sp-outage'],
  freedoms: ['timing', 'retries'],
  mutants: DELIVERY_MUTANTS,
  legal: DELIVERY_LEGAL,
};
