/**
 * Security options of the reference server (docs/security.md lists each guarantee, its default
 * and its switch): token rules, the Notify-URI policy, which peers may assert network
 * identities, and the choices the binding leaves open.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

export interface SecurityOptions {
  /** Shortest SP or admin token accepted by onboarding and by the standalone server's configuration. */
  minTokenLength: number;
  /**
   * Hosts a Notify-URI may name (registration and onboarding): host names compared literally
   * (no DNS look-up), IP addresses, or CIDR blocks like 10.0.0.0/8; "*" allows any host.
   */
  notifyHosts: string[];
  /** Peers (addresses or CIDR blocks) whose X-DPE-User-Identity / X-DPE-Device-Identity headers are trusted. */
  trustedProxies: string[];
  /**
   * binding leaves open which users an SP may ask about: "any-user" answers every query (and the SP
   * becomes concerned with that user); "defined-users" answers only for users the SP has set a group
   * or policy for, and null for the others, without making the SP concerned.
   */
  spQueryScope: 'any-user' | 'defined-users';
}

export const LOOPBACK = ['localhost', '127.0.0.0/8', '::1'];

export const DEFAULT_SECURITY: SecurityOptions = {
  minTokenLength: 12,
  notifyHosts: LOOPBACK,
  trustedProxies: ['127.0.0.0/8', '::1'],
  spQueryScope: 'any-user',
};

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality of two secrets (digests first, so unequal lengths take the same time). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The token of an "Authorization: Bearer <token>" header; undefined for any other header or none. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const [, token] = /^Bearer\s+(\S+)$/i.exec(authorization ?? '') ?? [];
  return token;
}

/** A matcher for addresses and host names: exact names, single addresses and CIDR blocks. */
export class AddressPolicy {
  private readonly names = new Set<string>();
  private readonly blocks = new BlockList();
  private readonly any: boolean;

  constructor(entries: readonly string[]) {
    this.any = entries.includes('*');
    for (const e of entries) {
      if (e === '*') continue;
      const [addr = '', bits] = e.split('/');
      const family = isIP(addr);
      if (!family) this.names.add(e.toLowerCase());
      else if (bits !== undefined) this.blocks.addSubnet(addr, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
      else this.blocks.addAddress(addr, family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /**
   * Answers already given, by host or address: the policy never changes, and a BlockList check
   * builds a native SocketAddress each time (the most costly step of an unchanged registration).
   * Bounded: emptied when full, and no name longer than a DNS name is kept, so many or long
   * hosts cannot grow it.
   */
  private readonly answers = new Map<string, boolean>();

  allows(hostOrAddress: string | undefined): boolean {
    if (this.any) return true;
    if (!hostOrAddress) return false;
    if (hostOrAddress.length > 255) return this.decide(hostOrAddress);
    let known = this.answers.get(hostOrAddress);
    if (known === undefined) {
      if (this.answers.size >= 1024) this.answers.clear();
      this.answers.set(hostOrAddress, (known = this.decide(hostOrAddress)));
    }
    return known;
  }

  private decide(hostOrAddress: string): boolean {
    let h = hostOrAddress.replace(/^\[|\]$/g, '').toLowerCase();
    const [, v4] = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h) ?? [];
    if (v4) h = v4;
    const family = isIP(h);
    if (!family) return this.names.has(h);
    return this.blocks.check(h, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** The request headers with X-DPE-* identity headers removed unless the peer is a trusted proxy. */
export function trustedHeaders<H extends Record<string, unknown>>(headers: H, peer: string | undefined, proxies: AddressPolicy): H {
  if (proxies.allows(peer)) return headers;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith('x-dpe-')) out[k] = v;
  return out as H;
}

/** The host of an http(s) URL, or undefined when `s` is not one. */
export function httpUrlHost(s: string): string | undefined {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname : undefined;
  } catch {
    return undefined;
  }
}
