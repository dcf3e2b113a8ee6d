/**
 * Whose message it is: the rules by which the mock network (and, asked by it, the router:
 * mocks/router.ts) attributes a message to a scenario. A device's path names its scenario; SPs
 * outlive scenarios, so a message to an SP belongs to the scenario whose identities it names.
 */
import { IE, received } from '../src/catalog/protocol';
import type { Party, ScenarioRoute } from './parties';

/** Where a router asks a network whether a message is its own: the message's body, its path in CLAIM_PATH_HEADER. */
export const CLAIM_PATH = '/_router/claim';
export const CLAIM_PATH_HEADER = 'x-dpe-claim-path';

/**
 * How surely a message belongs to this network (a router delivers it to the highest):
 *   4 it names a user identity of the running scenario   3 … of a finished one
 *   2 it names a Client ID of the running scenario       1 … of a finished one
 *   0 it names nothing known, and a scenario is running (it would be charged to it)
 *  -1 it cannot be this network's (no such scenario, SP or path)
 * A device's path names its scenario: 4 when this network has that scenario, else -1.
 */
export type ClaimRank = -1 | 0 | 1 | 2 | 3 | 4;

/** What a network knows to attribute by: its scenarios (the running one, if any) and its SPs. */
export interface Attribution {
  routes: ReadonlyMap<string, ScenarioRoute>;
  current: ScenarioRoute | null;
  sps: ReadonlyMap<string, Party>;
}

type IdentityIe = typeof IE.UserIdentity | typeof IE.ClientID | typeof IE.ReplacesClientID;
const USER_IES: readonly IdentityIe[] = [IE.UserIdentity];
const CLIENT_ID_IES: readonly IdentityIe[] = [IE.ClientID, IE.ReplacesClientID];

/** The identities a message to an SP (a DPE_Client_ID_Report) names in its identity IEs. */
export function namedIdentities(body: unknown, ies: readonly IdentityIe[] = [...USER_IES, ...CLIENT_ID_IES]): string[] {
  const report = received('DPE_Client_ID_Report', body);
  return ies.flatMap((ie) => [report[ie]].flat()).filter((v): v is string => typeof v === 'string');
}

/** How surely the message sent to `path` is this network's (see ClaimRank). */
export function claimRank(a: Attribution, path: string, text: string): ClaimRank {
  const parts = path.split('?')[0]!.split('/').filter(Boolean).map(safeDecode);
  if (parts[0] === 'clients' && parts.length === 3) return a.routes.has(parts[1]!) ? 4 : -1;
  if (parts[0] !== 'sps' || parts.length !== 2 || !a.sps.has(parts[1]!)) return -1;
  const body = parseOrText(text);
  const users = new Set(namedIdentities(body, USER_IES));
  const ids = new Set(namedIdentities(body, CLIENT_ID_IES));
  const routes = [...a.routes.values()];
  const names = (r: ScenarioRoute, which: Set<string>) => [...r.identities()].some((id) => which.has(id));
  const running = (r: ScenarioRoute) => r === a.current;
  if (users.size) {
    if (a.current && names(a.current, users)) return 4;
    if (routes.some((r) => !running(r) && names(r, users))) return 3;
  }
  if (ids.size) {
    if (a.current && names(a.current, ids)) return 2;
    if (routes.some((r) => !running(r) && names(r, ids))) return 1;
  }
  return a.current ? 0 : -1;
}

/**
 * SPs outlive scenarios: a report belongs to the scenario whose identities it names — the
 * running one first, else a finished one (then it is late). A body that names no identity any
 * scenario knows is charged to the running scenario, which judges it; with none running, nobody owns it.
 */
export function routeForSpMessage(a: Attribution, body: unknown): ScenarioRoute | undefined {
  const named = namedIdentities(body);
  const names = (r: ScenarioRoute) => {
    const known = new Set(r.identities());
    return named.some((id) => known.has(id));
  };
  if (a.current && (!named.length || names(a.current))) return a.current;
  for (const r of [...a.routes.values()].reverse()) if (r !== a.current && names(r)) return r;
  return a.current ?? undefined;
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
