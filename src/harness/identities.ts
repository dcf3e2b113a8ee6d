/**
 * Fresh identities for every scenario, unique across runs as well (a run nonce), so scenarios
 * never depend on each other or on what an external server remembers from an earlier run.
 */
import { randomInt } from 'node:crypto';

export class IdentityFactory {
  private seq = 0;
  constructor(private readonly nonce: string = String(randomInt(0, 100000)).padStart(5, '0')) {}

  /** An E.164 MSISDN as a tel: URI, the identity of a SIM. */
  msisdn(): string {
    return `tel:+1555${this.nonce}${String(++this.seq).padStart(5, '0')}`;
  }

  /** A SIP URI, the identity of a user who may be on several devices. */
  sipUri(name: string): string {
    return `sip:${name.toLowerCase()}.${this.nonce}.${++this.seq}@dpe-test.invalid`;
  }

  /** A 15-digit IMEI with a valid Luhn check digit. */
  imei(): string {
    const body = `35${this.nonce}${String(++this.seq).padStart(7, '0')}`.slice(0, 14);
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
