/**
 * ICS — Implementation Conformance Statement: the choices an implementation under test
 * declares. Requirement applicability (src/requirements) and scenario selection are computed
 * from it; the JSON Schema below validates ICS files and is the one definition of their fields.
 */
import type { JSONSchemaType } from 'ajv';

/** 6.1: the three ways a DPE Server may assign Client IDs. */
export const CLIENT_ID_POLICIES = ['per-registration', 'per-user-and-device', 'per-device'] as const;
export type ClientIdPolicy = (typeof CLIENT_ID_POLICIES)[number];

/** Reading of one erratum of the change request (docs/errata.md). */
export type ErratumReading = 'strict' | 'lenient';

export interface Ics {
  /** Free text: product name and version, shown in reports. */
  implementation: { name: string; version: string };
  /** 6.1: Client ID assignment policy. */
  clientIdPolicy: ClientIdPolicy;
  /** 8.2.2 note on "relevant": restore every defined group/policy, or an implementation-specific subset. */
  restoredSettings: 'all-defined' | 'subset';
  /** 8.1.1: user/device identity may come from network headers (X-DPE-User-Identity, X-DPE-Device-Identity). */
  networkIdentityHeaders: boolean;
  /** 6.1: server-driven registration through POST /provisioning/registration-triggers. */
  serverDrivenRegistration: boolean;
  /** binding: SP onboarding through POST /provisioning/service-providers. */
  provisioningEndpoint: boolean;
  /** 6.3.7: reports a Client ID left without a current user (User-Identity null). */
  nullUserReports: boolean;
  /** Erratum id (docs/errata.md) -> how the implementation reads it; absent = the erratum's default. */
  errata: Record<string, ErratumReading>;
  /** Known deviations: reported apart in the summary and not failing the run (src/report/scoring.ts). */
  deviations?: IcsDeviation[];
}

/** A declared known deviation, by requirement id or scenario name (at least one). */
export interface IcsDeviation {
  requirement?: string;
  scenario?: string;
  reason: string;
  /** Tracking link (issue, ticket). */
  link?: string;
}

export const icsSchema: JSONSchemaType<Ics> = {
  $id: 'https://dpe-conformance.example/ics.schema.json',
  title: 'DPE conformance ICS',
  type: 'object',
  additionalProperties: false,
  required: [
    'implementation',
    'clientIdPolicy',
    'restoredSettings',
    'networkIdentityHeaders',
    'serverDrivenRegistration',
    'provisioningEndpoint',
    'nullUserReports',
    'errata',
  ],
  properties: {
    implementation: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'version'],
      properties: { name: { type: 'string', minLength: 1 }, version: { type: 'string' } },
    },
    clientIdPolicy: { type: 'string', enum: [...CLIENT_ID_POLICIES] },
    restoredSettings: { type: 'string', enum: ['all-defined', 'subset'] },
    networkIdentityHeaders: { type: 'boolean' },
    serverDrivenRegistration: { type: 'boolean' },
    provisioningEndpoint: { type: 'boolean' },
    nullUserReports: { type: 'boolean' },
    errata: {
      type: 'object',
      required: [],
      additionalProperties: { type: 'string', enum: ['strict', 'lenient'] },
    },
    deviations: {
      type: 'array',
      nullable: true,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['reason'],
        anyOf: [{ required: ['requirement'] }, { required: ['scenario'] }],
        properties: {
          requirement: { type: 'string', minLength: 1, nullable: true },
          scenario: { type: 'string', minLength: 1, nullable: true },
          reason: { type: 'string', minLength: 1 },
          link: { type: 'string', minLength: 1, nullable: true },
        },
      },
    },
  },
};

/** The ICS of the built-in reference server for a given policy. */
export function referenceIcs(policy: ClientIdPolicy): Ics {
  return {
    implementation: { name: 'dpe-conformance reference server', version: '0.1.0' },
    clientIdPolicy: policy,
    restoredSettings: 'all-defined',
    networkIdentityHeaders: true,
    serverDrivenRegistration: true,
    provisioningEndpoint: true,
    nullUserReports: true,
    // the reference server reads these errata strictly and says so: derived rules resting on them then fail (docs/errata.md)
    errata: { E17: 'strict', E24: 'strict', E31: 'strict', E33: 'strict', E53: 'strict' },
  };
}
