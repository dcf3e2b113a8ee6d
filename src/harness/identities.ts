/**
 * Fresh identities for every scenario, unique across runs as well (a run nonce), so scenarios
 * never depend on each other or on what an external server remembers from an earlier run. The
 * workers of a parallel run end their nonces in their worker number, so no two workers ever make
 * the same identity (the mock-network router tells workers apart by them: mocks/router.ts).
 */
import { randomInt } from 'node:crypto';

/** A six-digit nonce: four random digits, then the worker number (00 when not in a parallel run). */
export function runNonce(workerId: string | undefined = process.env.CUCUMBER_WORKER_ID): string {
  const worker = Number.isInteger(Number(workerId)) ? Number(workerId) % 100 : 0;
  return `${String(randomInt(0, 10000)).padStart(4, '0')}${String(worker).padStart(2, '0')}`;
}

export class IdentityFactory {
  private seq = 0;
  constructor(private readonly nonce: string = runNonce()) {}

  /** An E.164 MSISDN as a tel: URI (15 digits at most), the identity of a SIM. */
  msisdn(): string {
    return `tel:+1555${this.nonce}${String(++this.seq).padStart(5, '0')}`;
  }

  /** A SIP URI, the identity of a user who may be on several devices. */
  sipUri(name: string): string {
    return `sip:${name.toLowerCase()}.${this.nonce}.${++this.seq}@dpe-test.invalid`;
  }

  /** A 15-digit IMEI with a valid Luhn check digit. */
  imei(): string {
    const body = `35${this.nonce}${String(++this.seq).padStart(12 - this.nonce.length, '0')}`.slice(-14);
    return body + luhnDigit(body);
  }
}

export function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
