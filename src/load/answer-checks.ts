/**
 * The checks of the target's answers to a load cohort's requests, made as each answer arrives
 * against the cohort's model at that moment (./model.ts): every request is answered (binding), a
 * registration gets 200 with a Client-ID and its Message-ID echoed (8.1.1), a valid set gets 204
 * (binding, DPE-2), and a Client ID query lists exactly the user's current Client IDs (6.3.6.2).
 */
import { noneOf } from '../harness/areas/client-id';
import type { IcsView } from '../harness/areas/judge-view';
import type { Oracle } from '../harness/oracle';
import { bodyOf } from '../harness/expect';
import type { HistoryEntry } from './history';
import type { Finding } from './violations';

/** A finding about an answer, before the model names its cohort and where it was found. */
export type AnswerFinding = Pick<Finding, 'invariant' | 'requirement' | 'message' | 'entries'>;
export type FindAnswer = (f: AnswerFinding) => void;

/** binding: every request is answered; `e` is the history's note that `request` got no answer. */
export function unanswered(request: HistoryEntry, e: HistoryEntry): AnswerFinding {
  return {
    invariant: 'lost',
    message: `${request.messageType} of ${request.from} (#${request.seq}) got no answer: ${e.note ?? 'no answer'} (binding: every request is answered)`,
    entries: [request, e],
  };
}

/** binding, DPE-2: a valid set is answered 204; `e` rejected the set `request` made for `user`. */
export function rejectedSet(request: HistoryEntry, e: HistoryEntry, user: string): AnswerFinding {
  return {
    invariant: 'answers',
    message: `${request.messageType} of the ${request.from} for ${user} (#${request.seq}) was answered ${e.status} ${JSON.stringify(e.body)}; a valid set is answered 204 (binding, DPE-2)`,
    entries: [request, e],
  };
}

/** 8.1.1: the Client ID the answer `e` to `device`'s registration `request` gives (none when it failed), what is wrong with it found. */
export function registrationClientId(device: string, request: HistoryEntry, e: HistoryEntry, find: FindAnswer): string | undefined {
  const b = bodyOf(e);
  const cid = b['Client-ID'];
  if (e.status !== 200 || typeof cid !== 'string') {
    find({
      invariant: 'answers',
      requirement: 'reg.response-client-id',
      message: `the registration of ${device} (#${request.seq}) was answered ${e.status} ${JSON.stringify(e.body)}, expected 200 with a Client-ID (clause 8.1.1)`,
      entries: [request, e],
    });
    return undefined;
  }
  const sent = bodyOf(request)['Message-ID'];
  if (b['Message-ID'] !== sent) {
    find({
      invariant: 'answers',
      requirement: 'reg.response-echoes-message-id',
      message: `the answer (#${e.seq}) to the registration of ${device} carries Message-ID ${JSON.stringify(b['Message-ID'])}, expected the request's ${JSON.stringify(sent)} echoed`,
      entries: [request, e],
    });
  }
  return cid;
}

/** 6.3.6.2: the answer `e` to a query about `user` lists exactly the user's Client IDs as the model knows them when it is answered. */
export function checkQueryAnswer(
  m: IcsView & { readonly oracle: Oracle },
  user: string,
  request: HistoryEntry,
  e: HistoryEntry,
  find: FindAnswer,
): void {
  if (e.status !== 200) {
    find({
      invariant: 'answers',
      requirement: 'query.answered',
      message: `the ${request.from}'s DPE_Client_ID_Query for ${user} (#${request.seq}) was answered ${e.status} ${JSON.stringify(e.body)}, expected 200 (clause 6.3.6.2)`,
      entries: [request, e],
    });
    return;
  }
  if (e.problems.length) return; // judged as a malformed message (catalog)
  const b = bodyOf(e);
  const sent = bodyOf(request)['Message-ID'];
  if (b['Message-ID'] !== sent) {
    find({
      invariant: 'answers',
      requirement: 'msg.client-id-response.echo-message-id',
      message: `DPE_Client_ID_Response (#${e.seq}): IE Message-ID is ${JSON.stringify(b['Message-ID'])}, expected the query's ${JSON.stringify(sent)} (clause 6.3.6.2)`,
      entries: [request, e],
    });
  }
  const got = b['Client-ID'] as string[] | null;
  const want = m.oracle.currentClientIdsOf(user);
  if (!want.length) {
    if (!noneOf(m, got))
      find({
        invariant: 'answers',
        requirement: 'msg.client-id-response.null-when-none',
        message: `DPE_Client_ID_Response (#${e.seq}) for ${user}: IE Client-ID is ${JSON.stringify(got)}, expected null: ${user} has no Client ID (clause 6.3.6.2)`,
        entries: [request, e],
      });
    return;
  }
  const same = Array.isArray(got) && got.length === want.length && want.every((w) => got.includes(w));
  if (!same) {
    find({
      invariant: 'answers',
      requirement: 'query.current-associations',
      message: `DPE_Client_ID_Response (#${e.seq}) for ${user}: IE Client-ID is ${JSON.stringify(got)}, expected exactly ${JSON.stringify(want)}, ${user}'s current Client IDs (clause 6.3.6.2)`,
      entries: [request, e],
    });
  }
}
