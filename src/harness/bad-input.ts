/**
 * Defective registrations the harness sends to check that bad input is rejected with the
 * binding's error object and changes nothing. One table: the feature files name the defect,
 * the expected Code and IE come from the same row.
 */
import type { Malformed, Message } from '../catalog/protocol';
import { IE, malformed, MESSAGE_TYPE } from '../catalog/protocol';
import { BODY_SIZES, paddedJson, tracedAs } from './oversized';

type Registration = Message<'DPE_Registration_Request'>;

/** What a defect may depend on: the limits the target declares (IXIT). */
export interface DefectContext {
  maxBodyBytes?: number;
}

export interface BadRequest {
  body?: Malformed;
  raw?: string;
  contentType?: string;
  chunked?: boolean;
  tracedBody?: string;
}

export interface BadRegistration {
  /** Words used in the feature file after "sends a registration". */
  defect: string;
  code: string;
  ie?: string;
  /** Builds the request from a valid registration body. */
  make(valid: Registration, c: DefectContext): BadRequest;
}

/** A valid registration whose Message-ID (chosen by the client) pads it to a size over the limit. */
const oversized = BODY_SIZES.map(
  (size): BadRegistration => ({
    defect: size.words,
    code: 'PAYLOAD_TOO_LARGE',
    make: (v, c) => {
      if (c.maxBodyBytes === undefined) throw new Error('the IXIT declares no limits.maxBodyBytes (the scenario should not have applied)');
      const raw = paddedJson(
        (pad) => ({ ...v, [IE.MessageID]: `${v[IE.MessageID]}-${pad}` }),
        size.bytes(c.maxBodyBytes),
        'DPE_Registration_Request',
      );
      return { raw, chunked: size.chunked, tracedBody: tracedAs(raw, 'DPE_Registration_Request') };
    },
  }),
);

/** The valid registration without the given IEs. */
const drop =
  (...ies: Array<keyof Registration>) =>
  (v: Registration): BadRequest => {
    const body: Partial<Registration> = { ...v };
    for (const ie of ies) delete body[ie];
    return { body: malformed(body) };
  };
/** The valid registration with IEs changed to what the catalog does not allow. */
const change =
  (ies: Readonly<Record<string, unknown>>) =>
  (v: Registration): BadRequest => ({ body: malformed({ ...v, ...ies }) });

export const BAD_REGISTRATIONS: readonly BadRegistration[] = [
  { defect: 'that is not JSON', code: 'MALFORMED_JSON', make: (v) => ({ raw: JSON.stringify(v).slice(0, -7) }) },
  { defect: 'that is a JSON array', code: 'MALFORMED_JSON', make: (v) => ({ raw: JSON.stringify([v]) }) },
  { defect: 'sent as plain text', code: 'UNSUPPORTED_MEDIA_TYPE', make: (v) => ({ raw: JSON.stringify(v), contentType: 'text/plain' }) },
  { defect: 'without a Message-Type', code: 'MISSING_IE', ie: MESSAGE_TYPE, make: drop(MESSAGE_TYPE) },
  {
    defect: 'of an unknown Message-Type',
    code: 'UNKNOWN_MESSAGE_TYPE',
    ie: MESSAGE_TYPE,
    make: change({ [MESSAGE_TYPE]: 'DPE_Registration_Requets' }),
  },
  { defect: 'without a Message-ID', code: 'MISSING_IE', ie: IE.MessageID, make: drop(IE.MessageID) },
  { defect: 'with a numeric Message-ID', code: 'INVALID_IE', ie: IE.MessageID, make: change({ [IE.MessageID]: 17 }) },
  { defect: 'without a Notify-URI', code: 'MISSING_IE', ie: IE.NotifyURI, make: drop(IE.NotifyURI) },
  { defect: 'with a numeric User-Identity', code: 'INVALID_IE', ie: IE.UserIdentity, make: change({ [IE.UserIdentity]: 4915112345678 }) },
  { defect: 'with no identity at all', code: 'MISSING_IDENTITY', make: drop(IE.UserIdentity, IE.DeviceIdentity) },
  ...oversized,
];

export function badRegistration(defect: string): BadRegistration {
  const b = BAD_REGISTRATIONS.find((x) => x.defect === defect);
  if (!b) throw new Error(`unknown defect "${defect}"; known: ${BAD_REGISTRATIONS.map((x) => `"${x.defect}"`).join(', ')}`);
  return b;
}
