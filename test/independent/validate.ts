// Validation of incoming messages against the binding's IE tables (docs/messages.md).
// 8.1.1 obliges the server only "upon a valid registration request"; E14 reads "valid" as
// well-formed per the binding. Everything here is pure: it throws DpeError or returns data.
import { DpeError } from './errors';
import type { PolicyValue, SpConfig } from './types';

export type Json = Record<string, unknown>;

export function checkMediaType(contentType: string | undefined): void {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new DpeError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, got "${contentType ?? ''}"`);
  }
}

export function parseObject(raw: Buffer): Json {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DpeError('MALFORMED_JSON', 'body is not valid JSON');
  }
  // The binding's messages are JSON objects; an array or scalar is no message at all.
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DpeError('MALFORMED_JSON', 'body must be one JSON object');
  }
  return value as Json;
}

function present(msg: Json, ie: string): boolean {
  return Object.prototype.hasOwnProperty.call(msg, ie);
}

export function reqString(msg: Json, ie: string): string {
  if (!present(msg, ie)) throw new DpeError('MISSING_IE', `${ie} is mandatory`, ie);
  return checkString(msg, ie);
}

export function optString(msg: Json, ie: string): string | undefined {
  return present(msg, ie) ? checkString(msg, ie) : undefined;
}

function checkString(msg: Json, ie: string): string {
  const v = msg[ie];
  if (typeof v !== 'string' || v.length === 0) throw new DpeError('INVALID_IE', `${ie} must be a non-empty string`, ie);
  return v;
}

export function reqInteger(msg: Json, ie: string): number {
  if (!present(msg, ie)) throw new DpeError('MISSING_IE', `${ie} is mandatory`, ie);
  const v = msg[ie];
  // E37: Message-ID is an Integer on DPE-2; a numeric string is invalid.
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new DpeError('INVALID_IE', `${ie} must be an integer`, ie);
  return v;
}

function reqBag(msg: Json, ie: string): string[] {
  if (!present(msg, ie)) throw new DpeError('MISSING_IE', `${ie} is mandatory`, ie);
  const v = msg[ie];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.length === 0)) {
    throw new DpeError('INVALID_IE', `${ie} must be an array of non-empty strings`, ie);
  }
  return [...(v as string[])];
}

function reqPolicy(msg: Json): PolicyValue {
  if (!present(msg, 'Policy')) throw new DpeError('MISSING_IE', 'Policy is mandatory', 'Policy');
  const p = msg.Policy as Json;
  const bad = (why: string): DpeError => new DpeError('INVALID_IE', `Policy ${why}`, 'Policy');
  if (p === null || typeof p !== 'object' || Array.isArray(p)) throw bad('must be an object');
  if (p.Trigger === 'on-change') return { Trigger: 'on-change' };
  if (p.Trigger === 'periodic') {
    if (typeof p.Period !== 'number' || !Number.isSafeInteger(p.Period) || p.Period <= 0) throw bad('Period must be a positive integer (seconds)');
    return { Trigger: 'periodic', Period: p.Period };
  }
  throw bad('Trigger must be "on-change" or "periodic"');
}

/** A group or policy id that a later "*" release could not name on its own is refused. */
function reqId(msg: Json, ie: string): string {
  const v = reqString(msg, ie);
  if (v === '*') throw new DpeError('INVALID_IE', `${ie} "*" is reserved for releasing all`, ie);
  return v;
}

function reqUri(msg: Json, ie: string): string {
  const v = reqString(msg, ie);
  let url: URL;
  try { url = new URL(v); } catch { throw new DpeError('INVALID_IE', `${ie} must be an absolute URI`, ie); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DpeError('INVALID_IE', `${ie} must be an http(s) URI`, ie);
  return v;
}

function messageType(msg: Json, accepted: readonly string[], iface: string): string {
  const t = reqString(msg, 'Message-Type');
  if (!accepted.includes(t)) throw new DpeError('UNKNOWN_MESSAGE_TYPE', `${t} is not accepted on ${iface}`, 'Message-Type');
  return t;
}

export interface RegistrationRequest {
  messageId: string; notifyUri: string; user?: string; device?: string; clientId?: string;
}

export function validateRegistration(msg: Json): RegistrationRequest {
  messageType(msg, ['DPE_Registration_Request'], 'DPE-1');
  const messageId = reqString(msg, 'Message-ID');
  const user = optString(msg, 'User-Identity');
  const device = optString(msg, 'Device-Identity');
  const clientId = optString(msg, 'Client-ID');
  const notifyUri = reqUri(msg, 'Notify-URI');
  return { messageId, notifyUri, user, device, clientId };
}

export type Dpe2Message =
  | { type: 'DPE_Client_ID_Query'; messageId: number; queryKey: string }
  | { type: 'DPE_Group_Set'; messageId: number; user: string; groupId: string; properties: string[] }
  | { type: 'DPE_Property_Policy_Set'; messageId: number; user: string; policyId: string; property: string; policy: PolicyValue }
  | { type: 'DPE_Group_Policy_Set'; messageId: number; user: string; policyId: string; groupId: string; policy: PolicyValue };

const DPE2_TYPES = ['DPE_Client_ID_Query', 'DPE_Group_Set', 'DPE_Property_Policy_Set', 'DPE_Group_Policy_Set'] as const;

export function validateDpe2(msg: Json): Dpe2Message {
  const type = messageType(msg, DPE2_TYPES, 'DPE-2') as (typeof DPE2_TYPES)[number];
  const messageId = reqInteger(msg, 'Message-ID');
  if (type === 'DPE_Client_ID_Query') return { type, messageId, queryKey: reqString(msg, 'Query-Key') };
  const user = reqString(msg, 'User-Identity');
  switch (type) {
    case 'DPE_Group_Set':
      return { type, messageId, user, groupId: reqId(msg, 'Group-ID'), properties: reqBag(msg, 'Properties') };
    case 'DPE_Property_Policy_Set':
      return { type, messageId, user, policyId: reqId(msg, 'Policy-ID'), property: reqString(msg, 'Property'), policy: reqPolicy(msg) };
    case 'DPE_Group_Policy_Set':
      return { type, messageId, user, policyId: reqId(msg, 'Policy-ID'), groupId: reqId(msg, 'Group-ID'), policy: reqPolicy(msg) };
  }
}

export function validateOnboarding(msg: Json): SpConfig {
  return { spId: reqString(msg, 'SP-ID'), token: reqString(msg, 'Token'), notifyUri: reqUri(msg, 'Notify-URI') };
}

export function validateTrigger(msg: Json): string {
  return reqString(msg, 'Client-ID');
}
