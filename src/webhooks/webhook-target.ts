/**
 * Where a webhook may go. A courier chooses the URL and the notify worker POSTs to it from
 * inside our network, so an unchecked URL would let a courier make our servers call the cloud
 * metadata service, Redis, PostgreSQL or any private address (SSRF). The rule: the host must
 * resolve only to public unicast addresses — not loopback, private, link-local (169.254.169.254),
 * unique-local, carrier-grade NAT (100.100.100.200), multicast, reserved, documentation or an
 * IPv4 address mapped or translated into IPv6 (`::ffff:127.0.0.1`, `64:ff9b::a00:1`). No user
 * name or password in the URL; https only in production.
 *
 * Checked twice: when the URL is saved (a clear 400 for the courier) and when the worker
 * connects — a name that resolved to a public address on Monday can resolve to 127.0.0.1 on
 * Tuesday (DNS rebinding). At connect time the check sits in the socket's `lookup`, so the
 * address that was checked is the address the socket connects to; an IP literal (which Node
 * connects to without a lookup) is checked from the URL.
 *
 * The WHATWG URL parser already turns the other spellings of an IPv4 address into dotted quads
 * (`http://2130706433/`, `http://0x7f.1/`, `http://0177.0.0.1/` are all `127.0.0.1`), and
 * ipaddr.js `process` unwraps IPv4-mapped IPv6; `range()` names the special-purpose blocks (IANA
 * registries), so anything but `unicast` is refused.
 *
 * `allow` (WEBHOOK_ALLOW_ADDRESSES, refused in production) lets tests deliver to a receiver on
 * loopback: an explicit list of CIDR blocks, checked like everything else, not a bypass.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors.ts';

export interface WebhookTargetPolicy {
  /** Require https:// (production). */
  readonly requireHttps: boolean;
  /** CIDR blocks allowed although not public (tests: `127.0.0.1/32`). */
  readonly allow: readonly string[];
}

export const DEFAULT_WEBHOOK_TARGET_POLICY: WebhookTargetPolicy = Object.freeze({ requireHttps: false, allow: [] });

/** A CIDR list as ipaddr ranges; throws on a malformed entry (config validation uses this). */
export function parseAllowList(allow: readonly string[]): [ipaddr.IPv4 | ipaddr.IPv6, number][] {
  return allow.map((cidr) => {
    const [addr, bits] = ipaddr.parseCIDR(cidr.includes('/') ? cidr : `${cidr}/${cidr.includes(':') ? 128 : 32}`);
    return [addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr, bits];
  });
}

/** Why an address may not receive webhooks, or undefined when it may. */
export function refusedAddressReason(address: string, allow: readonly [ipaddr.IPv4 | ipaddr.IPv6, number][] = []): string | undefined {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.process(address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')); // zone ids are link-local anyway
  } catch {
    return `${address} is not an IP address`;
  }
  for (const [net, bits] of allow) if (net.kind() === addr.kind() && addr.match(net, bits)) return undefined;
  const range = addr.range();
  return range === 'unicast' ? undefined : `${addr.toString()} is a ${range} address`;
}

export class WebhookTargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

export interface WebhookTargetChecker {
  readonly policy: WebhookTargetPolicy;
  /** Checks a URL as it is saved: shape, scheme, and every address its host resolves to. 400s. */
  checkOnSave(url: string): Promise<void>;
  /** Throws WebhookTargetRefused when an IP-literal URL is refused (names: see `lookup`). */
  checkLiteral(url: URL): void;
  /** A socket `lookup` that resolves, refuses non-public answers and connects to the checked one. */
  readonly lookup: LookupFunction;
}

type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export function createWebhookTargetChecker(policy: WebhookTargetPolicy = DEFAULT_WEBHOOK_TARGET_POLICY, resolve: Resolve = systemResolve): WebhookTargetChecker {
  const allow = parseAllowList(policy.allow);
  const refuseAddresses = (host: string, addresses: readonly LookupAddress[]): string | undefined => {
    if (addresses.length === 0) return `${host} has no address`;
    for (const a of addresses) {
      const reason = refusedAddressReason(a.address, allow);
      if (reason !== undefined) return `${host} resolves to ${reason}`;
    }
    return undefined;
  };

  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family === 0 ? addresses : addresses.filter((a) => a.family === family);
        // Every answer must be public, not just the one used: a host that also names a private
        // address is refused outright, so no retry or family fallback can reach it.
        const reason = refuseAddresses(hostname, usable);
        if (reason !== undefined) {
          callback(Object.assign(new WebhookTargetRefused(`webhook target refused: ${reason}`), { code: 'EWEBHOOKTARGET' }), '', 4);
          return;
        }
        if (options.all === true) (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };

  return {
    policy,
    lookup,
    checkLiteral(url) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) === 0) return;
      const reason = refusedAddressReason(host, allow);
      if (reason !== undefined) throw new WebhookTargetRefused(`webhook target refused: ${reason}`);
    },
    async checkOnSave(text) {
      const bad = (message: string): AppError => new AppError('invalid_data', `webhook url: ${message}`, [{ path: 'url', message }]);
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        throw bad('not a URL');
      }
      if (url.protocol !== 'https:' && (policy.requireHttps || url.protocol !== 'http:')) throw bad(policy.requireHttps ? 'must be https://' : 'must be http:// or https://');
      if (url.username !== '' || url.password !== '') throw bad('must not carry a user name or password (use the signing secret)');
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) !== 0) {
        const reason = refusedAddressReason(host, allow);
        if (reason !== undefined) throw bad(`${reason}; webhooks go to public addresses only`);
        return;
      }
      let addresses: LookupAddress[];
      try {
        addresses = await resolve(host);
      } catch {
        throw bad(`the host ${host} cannot be resolved`);
      }
      const reason = refuseAddresses(host, addresses);
      if (reason !== undefined) throw bad(`${reason}; webhooks go to public addresses only`);
    },
  };
}
