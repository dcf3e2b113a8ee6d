/**
 * Client IDs across the whole load (6.1, 8.2.2): no Client ID is held by two devices at once —
 * a device holds the ID its latest accepted registration was answered with — a device change
 * never hands out an ID another device was given, and every answer follows the Client ID policy
 * the ICS declares. The registrations come from every cohort's model, in the order the answers
 * arrived; whether one was a device change is the oracle's reading (src/harness/oracle.ts).
 */
import type { ClientIdPolicy } from '../config/ics';
import type { RegistrationRecord } from './model';
import type { Finding } from './violations';

interface Held {
  clientId: string;
  identity: string | null;
  answer: RegistrationRecord['answer'];
}

export function checkClientIds(registrations: readonly RegistrationRecord[], policy: ClientIdPolicy): Finding[] {
  const out: Finding[] = [];
  const holderOf = new Map<string, string>();
  const heldBy = new Map<string, Held>();
  const givenTo = new Map<string, Set<string>>();
  const firstGiven = new Map<string, RegistrationRecord>();
  const find = (r: RegistrationRecord, requirement: string, message: string, also: RegistrationRecord['answer'][] = []) =>
    out.push({
      invariant: 'client-id-unique',
      requirement,
      message,
      entries: [...also, r.request, r.answer],
      cohort: r.cohort,
      key: `${requirement}|${r.device}|${r.answer.g}`,
      at: r.answer.g,
    });
  for (const r of [...registrations].sort((a, b) => a.answer.g - b.answer.g)) {
    const x = r.clientId;
    const holder = holderOf.get(x);
    if (holder && holder !== r.device) {
      const h = heldBy.get(holder)!;
      find(
        r,
        'reg.client-id-unique',
        `Client ID ${x} was given to ${r.device} (#${r.answer.seq}, cohort ${r.cohort}) while ${holder} holds it since its registration answer (#${h.answer.seq}, cohort ${h.answer.cohort}): at no time do two devices hold the same Client ID (clause 6.1)`,
        [h.answer],
      );
    }
    const others = [...(givenTo.get(x) ?? [])].filter((d) => d !== r.device);
    if (r.deviceChange && others.length) {
      find(
        r,
        'dc.new-client-id',
        `the device change of ${r.device} (#${r.request.seq}, use case ${r.useCase ?? 'unknown'}) was answered with Client ID ${x}, which ${others.join(', ')} had been given before (clause 8.2.2, first action)`,
        [firstGiven.get(x)!.answer],
      );
    }
    const prev = heldBy.get(r.device);
    if (policy === 'per-registration' && givenTo.has(x)) {
      find(
        r,
        'policy.per-registration.new-id',
        `${r.device} was answered with Client ID ${x} (#${r.answer.seq}), handed out before (#${firstGiven.get(x)!.answer.seq}): under the per-registration policy every registration gets a new one (clause 6.1)`,
      );
    }
    if (policy === 'per-device' && prev && prev.clientId !== x) {
      find(
        r,
        'policy.per-device.keeps-id',
        `${r.device} was answered with Client ID ${x} (#${r.answer.seq}), but it holds ${prev.clientId}: under the per-device policy a device keeps its Client ID whoever registers (clause 6.1)`,
        [prev.answer],
      );
    }
    if (policy === 'per-user-and-device' && prev) {
      if (!r.deviceChange && prev.clientId !== x) {
        find(
          r,
          'policy.per-user-and-device.same-id',
          `${r.device} registered again with the same user and was answered with Client ID ${x} (#${r.answer.seq}) instead of its ${prev.clientId} (clause 6.1, per-user-and-device)`,
          [prev.answer],
        );
      }
      // a user back on an earlier device may get its earlier ID back or a new one (E09)
      if (r.deviceChange && prev.identity !== r.identity && prev.clientId === x) {
        find(
          r,
          'policy.per-user-and-device.new-id-on-change',
          `${r.device} changed user (${prev.identity ?? 'none'} to ${r.identity ?? 'none'}) and kept Client ID ${x} (#${r.answer.seq}): under the per-user-and-device policy a new pairing gets a new ID (clause 6.1)`,
          [prev.answer],
        );
      }
    }
    if (prev && prev.clientId !== x && holderOf.get(prev.clientId) === r.device) holderOf.delete(prev.clientId);
    holderOf.set(x, r.device);
    heldBy.set(r.device, { clientId: x, identity: r.identity, answer: r.answer });
    if (!givenTo.has(x)) {
      givenTo.set(x, new Set());
      firstGiven.set(x, r);
    }
    givenTo.get(x)!.add(r.device);
  }
  return out;
}
