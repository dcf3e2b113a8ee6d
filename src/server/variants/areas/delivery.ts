/**
 * The delivery area: delivery of server-initiated messages: timing, retries and what a retry resends (binding).
 * Mutants each break the requirement(s) they name through one seam; legal variants use a
 * freedom (src/requirements/freedoms.ts) and must pass. Moved here from mutants.ts / legal.ts
 * unchanged; DELIVERY below declares what the area breaks and exercises (checked by test/unit/variants.test.ts).
 */
import { type Variant, isReport, delayedDelivery } from '../seam-tools';
import type { VariantArea } from './area';

export const DELIVERY_MUTANTS: Variant[] = [
  {
    name: 'report-retry-new-message-id',
    kind: 'mutant',
    breaks: ['cid.report-retry-keeps-message-id'],
    description: 'gives a report a new Message-ID on every retry',
    seams: () => ({
      deliveryAttempt: (x, attempt) =>
        isReport(x) && attempt > 1 ? { ...x, body: { ...x.body, 'Message-ID': (x.body['Message-ID'] as number) + 1_000_000 * (attempt - 1) } } : x,
    }),
  },
  {
    name: 'report-not-retried',
    kind: 'mutant',
    breaks: ['cid.report-retry-keeps-message-id'],
    description: 'gives up a report after one attempt the SP did not accept',
    options: { delivery: { maxAttempts: 1 } },
  },
];

export const DELIVERY_LEGAL: Variant[] = [
  {
    name: 'delayed-delivery',
    kind: 'legal',
    breaks: [],
    // one policy: every scenario now waits for its own late messages, so this run is long
    policies: ['per-user-and-device'],
    description: 'delivers every server-initiated message after a random delay of up to 70% of the delivery deadline (binding: timing)',
    seams: (d, o) => delayedDelivery(d, o, 0.7),
  },
  {
    name: 'patient-retries',
    kind: 'legal',
    breaks: [],
    policies: ['per-user-and-device'],
    options: { delivery: { maxAttempts: 8, retryBackoffMs: 5 } },
    description: 'retries undelivered messages more often, with a shorter backoff (the binding fixes neither)',
  },
];

export const DELIVERY: VariantArea = {
  area: 'delivery',
  code: ['src/server/outbox.ts'],
  seams: ['deliver', 'deliveryAttempt'],
  breaks: ['cid.report-retry-keeps-message-id'],
  freedoms: ['timing', 'retries'],
  mutants: DELIVERY_MUTANTS,
  legal: DELIVERY_LEGAL,
};
