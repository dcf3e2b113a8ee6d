// Builders of the messages the server sends (binding tables, docs/messages.md). Message-IDs:
// a string on DPE-1, an integer on DPE-2, unique per report (E37, E50).
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { UserRec } from './store';
import type { Flags, GroupDef, GroupPolicyDef, PropertyPolicyDef } from './types';

type Body = Record<string, unknown>;

export class Messages {
  private dpe1Counter = 0;
  private reportCounter = 0;
  private readonly reportIds = new Set<number>();

  constructor(private readonly flags: Flags) {}

  private dpe1(type: string, ies: Body): Body {
    this.dpe1Counter += 1;
    const id = this.flags.faulty('dpe1-integer-message-ids') ? this.dpe1Counter
      : this.flags.free('uuid-message-ids') ? randomUUID() : `srv-${this.dpe1Counter}`;
    return this.extra({ 'Message-Type': type, 'Message-ID': id, ...ies });
  }

  private extra(body: Body): Body {
    return this.flags.free('extra-ies') ? { ...body, 'X-Independent-Server': '1' } : body;
  }

  /** "None" on the wire: JSON null (binding), or [] under the lenient reading of E47. */
  none(): null | [] { return this.flags.free('empty-bag-none') ? [] : null; }

  groupRelease(groupId = '*'): Body {
    // 6.2.3.3 spells the IE Group_ID (E01); the 8.2.2 prose spelling is a freedom.
    const ie = this.flags.free('group-release-ie-hyphen') ? 'Group-ID' : 'Group_ID';
    return this.dpe1('DPE_Group_Release', { [ie]: groupId });
  }
  policyRelease(policyId = '*'): Body {
    // 6.2.6.1 tables Policy-ID; the signature's Policy_ID is a freedom (E02 lenient).
    const ie = this.flags.free('policy-release-ie-underscore') ? 'Policy_ID' : 'Policy-ID';
    return this.dpe1('DPE_Policy_Release', { [ie]: policyId });
  }
  trigger(): Body { return this.dpe1('DPE_Registration_Trigger', {}); }
  groupSet(g: GroupDef): Body { return this.dpe1('DPE_Group_Set', { 'Group-ID': g.groupId, Properties: [...g.properties] }); }
  propertyPolicySet(p: PropertyPolicyDef): Body {
    return this.dpe1('DPE_Property_Policy_Set', { 'Policy-ID': p.policyId, Property: p.property, Policy: { ...p.policy } });
  }
  groupPolicySet(p: GroupPolicyDef): Body {
    return this.dpe1('DPE_Group_Policy_Set', { 'Policy-ID': p.policyId, 'Group-ID': p.groupId, Policy: { ...p.policy } });
  }

  /** The sets that establish or restore a user's defined settings (8.2.2 bullets 4-6). */
  restoreSets(user: UserRec | undefined): Body[] {
    if (!user) return [];
    const groups = [...user.groups.values()].map((g) =>
      this.groupSet(this.flags.faulty('restore-drops-last-property') ? { ...g, properties: g.properties.slice(0, -1) } : g));
    if (this.flags.free('restore-groups-only')) return groups;
    const propertyPolicies = [...user.propertyPolicies.values()].map((p) => this.propertyPolicySet(p));
    const groupPolicies = [...user.groupPolicies.values()].map((p) => this.groupPolicySet(p));
    // E30: a group policy set follows the set of its group; the rest of the order is free.
    if (this.flags.faulty('group-policy-before-group')) return [...groupPolicies, ...groups, ...propertyPolicies];
    if (this.flags.free('property-policies-first')) return [...propertyPolicies, ...groups, ...groupPolicies];
    return [...groups, ...propertyPolicies, ...groupPolicies];
  }

  /** Freedom server-default-group (E31 lenient): a server-chosen group, set after the defined ones. */
  serverChosenSets(): Body[] {
    return this.flags.free('server-default-group') ? [this.groupSet({ groupId: 'srv-diagnostics', properties: ['BatteryLevel'] })] : [];
  }

  /** The order of a Client-ID bag: association order, or newest first (freedom bag-newest-first). */
  private bag(ids: string[]): string[] {
    return this.flags.free('bag-newest-first') ? [...ids].reverse() : [...ids];
  }

  reportMessageId(user: string | null): number {
    if (this.flags.faulty('report-message-id-per-user')) {
      return createHash('sha256').update(String(user)).digest().readUInt32BE(0) & 0x7fffffff;
    }
    for (;;) {
      const id = this.flags.free('random-report-message-ids') ? randomInt(1, 2 ** 31 - 1) : (this.reportCounter += 1);
      if (!this.reportIds.has(id)) { this.reportIds.add(id); return id; }
    }
  }

  /** DPE_Client_ID_Report (6.3.7); Replaces-Client-ID only when non-empty (it is optional). */
  report(user: string | null, clientIds: string[] | null, replaces: string[]): Body {
    const body: Body = {
      'Message-Type': 'DPE_Client_ID_Report',
      'Message-ID': this.reportMessageId(user),
      'User-Identity': user === null ? this.none() : this.flags.faulty('report-user-identity-string') ? user : [user],
      'Client-ID': clientIds !== null && clientIds.length > 0 ? this.bag(clientIds)
        : this.flags.faulty('client-id-null-as-empty-bag') ? [] : this.none(),
    };
    if (replaces.length > 0 && !this.flags.free('omit-replaces')) body['Replaces-Client-ID'] = replaces;
    else if (this.flags.faulty('replaces-empty-bag')) body['Replaces-Client-ID'] = [];
    return this.extra(body);
  }

  queryResponse(messageId: number, ids: string[]): Body {
    // E03: the table's value DPE_Client_ID_Query is a slip; the binding's name is the default.
    const type = this.flags.free('response-type-query') ? 'DPE_Client_ID_Query' : 'DPE_Client_ID_Response';
    const none = this.flags.faulty('query-empty-bag-for-none') ? [] : this.none();
    let id = messageId;
    while (this.flags.faulty('response-own-message-id') && id === messageId) id = this.reportMessageId(null);
    return this.extra({ 'Message-Type': type, 'Message-ID': id, 'Client-ID': ids.length > 0 ? this.bag(ids) : none });
  }
}
