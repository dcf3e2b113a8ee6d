/**
 * The message catalog: one definition per message of the wire binding (docs/binding.md), with
 * every information element (IE), its requirement, type and the clause that tables it.
 * JSON Schemas (schemas.ts), validation (validate.ts), the static type of every message
 * (protocol.ts), the reference server and docs (scripts/gen-docs.ts) are all derived from this
 * table — change a message here only. It is written `as const` so that the types keep every
 * name and value as a literal (docs/decisions/0011-typed-protocol.md).
 */

import type { MessageType } from './protocol';

export type Interface = 'DPE-1' | 'DPE-2';
/** Who sends the message to whom. */
export type Direction = 'client-to-server' | 'server-to-client' | 'sp-to-server' | 'server-to-sp';

export type IeType =
  /** JSON string */
  | 'String'
  /** JSON integer */
  | 'Integer'
  /** JSON array of strings (the CR's "Bag (string)") */
  | 'Bag'
  /** {"Trigger": "on-change"} or {"Trigger": "periodic", "Period": seconds} */
  | 'Policy';

/** Other spellings or values accepted when the named erratum is read leniently. */
export interface Lenient {
  erratum: string;
  name?: string;
  value?: string;
}

export interface IeDef {
  name: string;
  required: boolean;
  type: IeType;
  /** JSON null is allowed and has the meaning given in `description`. */
  nullable?: boolean;
  /** For Message-Type: the only value allowed. */
  value?: string;
  /** `*` is a legal value meaning "all". */
  wildcard?: boolean;
  /** Other spellings or values accepted when the named erratum is read leniently. */
  lenient?: Lenient;
  description: string;
}

export interface MessageDef {
  /** Catalog key: the Message-Type, plus `@DPE-2` where the same type also exists on DPE-1. */
  key: string;
  type: string;
  interface: Interface;
  direction: Direction;
  /** Clause that defines the message (or `binding` when the CR names it but does not table it). */
  clause: string;
  summary: string;
  ies: readonly IeDef[];
}

const messageType = <const V extends string, const L extends Lenient | undefined = undefined>(value: V, lenient?: L) =>
  ({
    name: 'Message-Type',
    required: true,
    type: 'String',
    value,
    lenient: lenient as L,
    description: `Message type identifier "${value}"`,
  }) as const;
const dpe1MessageId = {
  name: 'Message-ID',
  required: true,
  type: 'String',
  description: 'Identifies the message (a string on DPE-1).',
} as const;
const dpe2MessageId = {
  name: 'Message-ID',
  required: true,
  type: 'Integer',
  description: 'Identifies the message (an integer on DPE-2).',
} as const;
const userIdentity2 = {
  name: 'User-Identity',
  required: true,
  type: 'String',
  description: 'The user the SP defines this group or policy for.',
} as const;
const groupSetIes = [
  { name: 'Group-ID', required: true, type: 'String', description: 'Identifies the property group.' },
  { name: 'Properties', required: true, type: 'Bag', description: 'Names of the properties in the group.' },
] as const;
const propertyPolicyIes = [
  { name: 'Policy-ID', required: true, type: 'String', description: 'Identifies the reporting policy.' },
  { name: 'Property', required: true, type: 'String', description: 'The property the policy applies to.' },
  { name: 'Policy', required: true, type: 'Policy', description: 'When the property is reported.' },
] as const;
const groupPolicyIes = [
  { name: 'Policy-ID', required: true, type: 'String', description: 'Identifies the reporting policy.' },
  { name: 'Group-ID', required: true, type: 'String', description: 'The property group the policy applies to.' },
  { name: 'Policy', required: true, type: 'Policy', description: 'When the group is reported.' },
] as const;

/** The catalog with every name and value as a literal type (protocol.ts derives the message types from it). */
export const CATALOG = [
  {
    key: 'DPE_Registration_Request',
    type: 'DPE_Registration_Request',
    interface: 'DPE-1',
    direction: 'client-to-server',
    clause: '8.1.1',
    summary: 'A client registers (at start-up, or when the server triggers it) and asks for its Client ID.',
    ies: [
      messageType('DPE_Registration_Request'),
      { ...dpe1MessageId, description: 'Chosen by the client; echoed in the response.' },
      {
        name: 'User-Identity',
        required: false,
        type: 'String',
        description: 'MSISDN (tel:) or SIP URI; may instead come from the network (X-DPE-User-Identity).',
      },
      {
        name: 'Device-Identity',
        required: false,
        type: 'String',
        description: 'IMEI or MAC address; may instead come from the network (X-DPE-Device-Identity).',
      },
      {
        name: 'Client-ID',
        required: false,
        type: 'String',
        description: 'The Client ID the client holds from an earlier registration.',
      },
      {
        name: 'Notify-URI',
        required: true,
        type: 'String',
        description: 'Where the server delivers server-to-client messages.',
      },
    ],
  },
  {
    key: 'DPE_Registration_Response',
    type: 'DPE_Registration_Response',
    interface: 'DPE-1',
    direction: 'server-to-client',
    clause: '8.1.1',
    summary: 'The HTTP answer to a registration: the Client ID for the device.',
    ies: [
      messageType('DPE_Registration_Response'),
      { ...dpe1MessageId, description: 'The Message-ID of the registration request.' },
      { name: 'Client-ID', required: true, type: 'String', description: 'The Client ID assigned to this device.' },
    ],
  },
  {
    key: 'DPE_Group_Set',
    type: 'DPE_Group_Set',
    interface: 'DPE-1',
    direction: 'server-to-client',
    clause: '8.2.2',
    summary: 'The server establishes a property group on the client.',
    ies: [messageType('DPE_Group_Set'), dpe1MessageId, ...groupSetIes],
  },
  {
    key: 'DPE_Group_Release',
    type: 'DPE_Group_Release',
    interface: 'DPE-1',
    direction: 'server-to-client',
    clause: '6.2.3.3',
    summary: 'The server releases one property group, or all of them, from the client.',
    ies: [
      messageType('DPE_Group_Release'),
      {
        name: 'Group_ID',
        required: true,
        type: 'String',
        wildcard: true,
        lenient: { erratum: 'E01', name: 'Group-ID' },
        description: 'The group to release; "*" releases all groups.',
      },
      dpe1MessageId,
    ],
  },
  {
    key: 'DPE_Property_Policy_Set',
    type: 'DPE_Property_Policy_Set',
    interface: 'DPE-1',
    direction: 'server-to-client',
    clause: '8.2.2',
    summary: 'The server establishes a reporting policy for one property on the client.',
    ies: [messageType('DPE_Property_Policy_Set'), dpe1MessageId, ...propertyPolicyIes],
  },
  {
    key: 'DPE_Group_Policy_Set',
    type: 'DPE_Group_Policy_Set',
    interface: 'DPE-1',
    direction: 'server-to-client',
    clause: '8.2.2',
    summary: 'The server establishes a reporting policy for a property group on the client.',
    ies: [messageType('DPE_Group_Policy_Set'), dpe1MessageId, ...groupPolicyIes],
  },
  {
    key: 'DPE_Policy_Release',
    type: 'DPE_Policy_Release',
    interface: 'DPE-1',
    direction: 'server-to-client',
    clause: '6.2.6.1',
    summary: 'The server releases one reporting policy, or all of them, from the client.',
    ies: [
      messageType('DPE_Policy_Release'),
      {
        name: 'Policy-ID',
        required: true,
        type: 'String',
        wildcard: true,
        lenient: { erratum: 'E02', name: 'Policy_ID' },
        description: 'The policy to release; "*" releases all policies.',
      },
      dpe1MessageId,
    ],
  },
  {
    key: 'DPE_Registration_Trigger',
    type: 'DPE_Registration_Trigger',
    interface: 'DPE-1',
    direction: 'server-to-client',
    clause: '6.1',
    summary: 'Server-driven registration: the client must send a new registration request.',
    ies: [messageType('DPE_Registration_Trigger'), dpe1MessageId],
  },
  {
    key: 'DPE_Client_ID_Query',
    type: 'DPE_Client_ID_Query',
    interface: 'DPE-2',
    direction: 'sp-to-server',
    clause: '6.3.6.2',
    summary: "An SP asks for a user's currently valid Client IDs.",
    ies: [
      messageType('DPE_Client_ID_Query'),
      dpe2MessageId,
      { name: 'Query-Key', required: true, type: 'String', description: 'The user identity asked about.' },
    ],
  },
  {
    key: 'DPE_Client_ID_Response',
    type: 'DPE_Client_ID_Response',
    interface: 'DPE-2',
    direction: 'server-to-sp',
    clause: '6.3.6.2',
    summary: 'The HTTP answer to a Client ID Query.',
    ies: [
      messageType('DPE_Client_ID_Response', { erratum: 'E03', value: 'DPE_Client_ID_Query' }),
      { ...dpe2MessageId, description: 'The Message-ID of the related DPE_Client_ID_Query.' },
      {
        name: 'Client-ID',
        required: true,
        type: 'Bag',
        nullable: true,
        description: "The user's currently valid Client IDs; null when the user has none.",
      },
    ],
  },
  {
    key: 'DPE_Client_ID_Report',
    type: 'DPE_Client_ID_Report',
    interface: 'DPE-2',
    direction: 'server-to-sp',
    clause: '6.3.7',
    summary: 'The server tells an SP that the association of a user with a Client ID changed (8.2.3).',
    ies: [
      messageType('DPE_Client_ID_Report'),
      { ...dpe2MessageId, description: 'Unique per report; kept on retries so the SP can de-duplicate.' },
      {
        name: 'User-Identity',
        required: true,
        type: 'Bag',
        nullable: true,
        description: 'The user; null when the Client ID has no current user.',
      },
      {
        name: 'Client-ID',
        required: true,
        type: 'Bag',
        nullable: true,
        description: "The user's currently valid Client ID(s); null when the user no longer has one.",
      },
      {
        name: 'Replaces-Client-ID',
        required: false,
        type: 'Bag',
        description: 'Client IDs previously associated with the user that are no longer valid.',
      },
    ],
  },
  {
    key: 'DPE_Group_Set@DPE-2',
    type: 'DPE_Group_Set',
    interface: 'DPE-2',
    direction: 'sp-to-server',
    clause: 'binding',
    summary: "An SP defines a property group for a user; the server relays it to the user's clients.",
    ies: [messageType('DPE_Group_Set'), dpe2MessageId, userIdentity2, ...groupSetIes],
  },
  {
    key: 'DPE_Property_Policy_Set@DPE-2',
    type: 'DPE_Property_Policy_Set',
    interface: 'DPE-2',
    direction: 'sp-to-server',
    clause: 'binding',
    summary: 'An SP defines a property reporting policy for a user.',
    ies: [messageType('DPE_Property_Policy_Set'), dpe2MessageId, userIdentity2, ...propertyPolicyIes],
  },
  {
    key: 'DPE_Group_Policy_Set@DPE-2',
    type: 'DPE_Group_Policy_Set',
    interface: 'DPE-2',
    direction: 'sp-to-server',
    clause: 'binding',
    summary: 'An SP defines a group reporting policy for a user.',
    ies: [messageType('DPE_Group_Policy_Set'), dpe2MessageId, userIdentity2, ...groupPolicyIes],
  },
] as const satisfies readonly MessageDef[];

export const MESSAGES: readonly MessageDef[] = CATALOG;

/** The messages of a device change (8.2.2): the two releases, then the sets. */
export const RELEASE_MESSAGES = ['DPE_Group_Release', 'DPE_Policy_Release'] as const satisfies readonly MessageType[];
export const SET_MESSAGES = ['DPE_Group_Set', 'DPE_Property_Policy_Set', 'DPE_Group_Policy_Set'] as const satisfies readonly MessageType[];

export function messageDef(key: string): MessageDef {
  const def = MESSAGES.find((m) => m.key === key);
  if (!def) throw new Error(`message catalog has no message "${key}"`);
  return def;
}

/** The definition of a message of `type` travelling in `direction`, if the binding has one. */
export function findMessage(type: unknown, direction: Direction): MessageDef | undefined {
  return MESSAGES.find((m) => m.type === type && m.direction === direction);
}
