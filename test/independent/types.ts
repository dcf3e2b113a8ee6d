// Shared shapes of the independent DPE server: options, flags and the records it retains.
import type { ClientIdPolicy, FaultName, FreedomName } from './variants';

export type PolicyValue = { Trigger: 'on-change' } | { Trigger: 'periodic'; Period: number };

export interface SpConfig { spId: string; token: string; notifyUri: string }

export interface GroupDef { groupId: string; properties: string[] }
export interface PropertyPolicyDef { policyId: string; property: string; policy: PolicyValue }
export interface GroupPolicyDef { policyId: string; groupId: string; policy: PolicyValue }

export interface ServerOptions {
  policy?: ClientIdPolicy;
  fault?: FaultName;
  freedoms?: readonly FreedomName[];
  sps?: readonly SpConfig[];
  /** Deliver to any host; by default only loopback Notify-URIs are contacted (machine rule). */
  allowRemoteNotify?: boolean;
  log?: (line: string) => void;
}

/** Which deliberate fault and which freedoms are switched on. */
export class Flags {
  private readonly freedoms: ReadonlySet<FreedomName>;
  constructor(private readonly fault: FaultName | undefined, freedoms: readonly FreedomName[]) {
    this.freedoms = new Set(freedoms);
  }
  faulty(name: FaultName): boolean { return this.fault === name; }
  free(name: FreedomName): boolean { return this.freedoms.has(name); }
}

/** One message the server will send, produced by a procedure and sent by the dispatcher. */
export type Outbound =
  | { to: 'client'; notifyUri: string; clientId: string; body: Record<string, unknown> }
  | { to: 'sp'; spId: string; body: Record<string, unknown> };

/** What a procedure wants sent: in order, plus extra messages a fault sends later. */
export interface Plan { now: Outbound[]; later: Outbound[] }

export const emptyPlan = (): Plan => ({ now: [], later: [] });
