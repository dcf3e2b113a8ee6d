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
    /**
     * How long the target keeps trying to deliver a report an SP did not take (refused, reset,
     * unreachable, unanswered), counted from its first attempt: an SP back within it still gets
     * the report. Bounds the wait of the delivery-fault scenarios (default 10000 ms; floor 2000 ms).
     */
    retryHorizonMs?: number;
    /**
     * Longest wait for the answer to a request the harness sends; a later answer counts as none.
     * The binding sets no answer time, so this is generous: a correct server is answered at once
     * and only one that hangs pays it (default max(5000, deliveryDeadlineMs); SP onboarding, a
     * set-up step, waits twice as long).
     */
    answerDeadlineMs?: number;
  };
  /** What the target declares about its input limits (absent: the over-limit scenarios do not apply). */
  limits?: {
    /** The largest request body the target accepts, in bytes; the harness sends bodies over it. */
    maxBodyBytes?: number;
  };
}

/** How long the harness waits for the answer to one of its requests (IXIT timing.answerDeadlineMs). */
export function answerDeadlineMs(timing: Ixit['timing']): number {
  return timing.answerDeadlineMs ?? Math.max(5000, timing.deliveryDeadlineMs);
}

/** The longest delivery deadline and retry horizon an IXIT may declare (a step that waits for both is bounded by them). */
export const MAX_DELIVERY_DEADLINE_MS = 120_000;
export const MAX_RETRY_HORIZON_MS = 600_000;

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
        deliveryDeadlineMs: { type: 'integer', minimum: 50, maximum: MAX_DELIVERY_DEADLINE_MS },
        quietPeriodMs: { type: 'integer', minimum: 10, maximum: 60000 },
        settleWindowMs: { type: 'integer', minimum: 10, maximum: 60000, nullable: true },
        retryHorizonMs: { type: 'integer', minimum: 100, maximum: MAX_RETRY_HORIZON_MS, nullable: true },
        answerDeadlineMs: { type: 'integer', minimum: 100, maximum: MAX_DELIVERY_DEADLINE_MS, nullable: true },
      },
    },
    limits: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        maxBodyBytes: { type: 'integer', minimum: 1024, maximum: 1073741824, nullable: true },
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
  // the embedded reference server is built with this limit (src/harness/context.ts)
  limits: { maxBodyBytes: 64 * 1024 },
};

/**
 * Without an IXIT file, an external target gets the SPs through its provisioning endpoint: it cannot
 * know an ephemeral mock port in advance. Its body limit is its own: only its IXIT can declare one.
 */
export const EXTERNAL_DEFAULT_IXIT: Ixit = { ...withoutLimits(DEFAULT_IXIT), onboardThroughProvisioning: true };

function withoutLimits(i: Ixit): Ixit {
  const { limits: _limits, ...rest } = i;
  return rest;
}

/**
 * Whether each mock SP gets a listener (a port) of its own, so that one SP can be made unreachable
 * while every other party stays up: only when the harness picks its ports (mockPort 0). With a
 * fixed mockPort every party shares that one port, as the SPs configured in a target expect.
 */
export const spsHaveOwnPorts = (ixit: Pick<Ixit, 'mockPort'>): boolean => ixit.mockPort === 0;

/** The IXIT of a run without an IXIT file. */
export const defaultIxit = (external: boolean): Ixit => (external ? EXTERNAL_DEFAULT_IXIT : DEFAULT_IXIT);
