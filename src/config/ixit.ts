/**
 * IXIT — Implementation eXtra Information for Testing: where the harness's mock clients and
 * SPs listen, which SPs it plays, how it onboards them and how long it waits. The schema is
 * the one definition of the fields; errors name the field that is wrong.
 */
import type { JSONSchemaType } from 'ajv';

export interface IxitSp {
  /** Word used in feature files: "the maps provider". */
  alias: string;
  spId: string;
  token: string;
}

export interface Ixit {
  /** Address the mock network listens on and advertises in Notify-URIs. */
  mockHost: string;
  /** Port of the mock network; 0 = ephemeral. */
  mockPort: number;
  /** Host name or address put in Notify-URIs, when the target reaches the mocks by another name. */
  advertisedHost?: string;
  serviceProviders: IxitSp[];
  /** Onboard the SPs through POST /provisioning/service-providers before the run. */
  onboardThroughProvisioning: boolean;
  timing: {
    /** Longest wait for a message the target must send. */
    deliveryDeadlineMs: number;
    /** How long nothing must arrive to conclude that a message is not sent. */
    quietPeriodMs: number;
    /**
     * After a scenario's last step: how long nothing new must arrive before everything the
     * scenario received is judged (default: quietPeriodMs; floor 100 ms). Later messages are judged late.
     */
    settleWindowMs?: number;
  };
}

export const ixitSchema: JSONSchemaType<Ixit> = {
  $id: 'https://dpe-conformance.example/ixit.schema.json',
  title: 'DPE conformance IXIT',
  type: 'object',
  additionalProperties: false,
  required: ['mockHost', 'mockPort', 'serviceProviders', 'onboardThroughProvisioning', 'timing'],
  properties: {
    mockHost: { type: 'string', minLength: 1 },
    mockPort: { type: 'integer', minimum: 0, maximum: 65535 },
    advertisedHost: { type: 'string', minLength: 1, nullable: true },
    serviceProviders: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['alias', 'spId', 'token'],
        properties: {
          alias: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
          spId: { type: 'string', minLength: 1 },
          token: { type: 'string', minLength: 8 },
        },
      },
    },
    onboardThroughProvisioning: { type: 'boolean' },
    timing: {
      type: 'object',
      additionalProperties: false,
      required: ['deliveryDeadlineMs', 'quietPeriodMs'],
      properties: {
        deliveryDeadlineMs: { type: 'integer', minimum: 50, maximum: 120000 },
        quietPeriodMs: { type: 'integer', minimum: 10, maximum: 60000 },
        settleWindowMs: { type: 'integer', minimum: 10, maximum: 60000, nullable: true },
      },
    },
  },
};

export const DEFAULT_IXIT: Ixit = {
  mockHost: '127.0.0.1',
  mockPort: 0,
  serviceProviders: [
    { alias: 'maps', spId: 'sp-maps', token: 'maps-token-0001' },
    { alias: 'music', spId: 'sp-music', token: 'music-token-0002' },
  ],
  onboardThroughProvisioning: false,
  timing: { deliveryDeadlineMs: 1500, quietPeriodMs: 120 },
};

/** Without an IXIT file, an external target gets the SPs through its provisioning endpoint: it cannot know an ephemeral mock port in advance. */
export const EXTERNAL_DEFAULT_IXIT: Ixit = { ...DEFAULT_IXIT, onboardThroughProvisioning: true };

/** The IXIT of a run without an IXIT file. */
export const defaultIxit = (external: boolean): Ixit => (external ? EXTERNAL_DEFAULT_IXIT : DEFAULT_IXIT);
