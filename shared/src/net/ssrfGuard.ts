import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError, badRequest } from '../errors.js';

/**
 * Fetches a URL a user gave us without letting it reach anything but the
 * public internet: no loopback, private, link-local (cloud metadata),
 * CGNAT, multicast or reserved address, in IPv4 or any IPv6 spelling of
 * them. Every address a name resolves to is checked, and the connection is
 * pinned to the checked one, so a DNS answer that changes between the check
 * and the connect (rebinding) cannot move it. Redirects are followed by hand
 * and each hop is checked again.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name -> every address; injected in tests so no test depends on real DNS. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface LoopbackException {
  address: string;
  port: number;
}

export interface SsrfGuardOptions {
  resolve?: HostResolver;
  /**
   * TEST ONLY: exact loopback address + port pairs (a local test server) that
   * may be fetched. No configuration sets it; the default refuses all loopback.
   */
  testOnlyLoopbackExceptions?: readonly LoopbackException[];
}

export interface SafeFetchOptions extends SsrfGuardOptions {
  /** The body is refused (413) as soon as it grows past this, before it is all read. */
  maxBytes: number;
  maxRedirects?: number;
  connectTimeoutMs?: number;
  /** For the whole fetch, redirects included. */
  totalTimeoutMs?: number;
  accept?: string;
  userAgent?: string;
}

export interface SafeFetchResult {
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
  redirects: number;
  contentType: string | undefined;
}

/** Why a URL was refused (`details.reason` of the 400). */
export type SsrfRefusal =
  | 'bad_url'
  | 'scheme_not_allowed'
  | 'credentials_in_url'
  | 'blocked_address'
  | 'dns_failed'
  | 'too_many_redirects'
  | 'bad_redirect';

export const DEFAULT_MAX_REDIRECTS = 3;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const DEFAULT_TOTAL_TIMEOUT_MS = 20_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const refuse = (reason: SsrfRefusal, message: string, details: Record<string, unknown> = {}) =>
  badRequest(message, { reason, ...details });

export const defaultResolver: HostResolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

type Verdict = { allowed: true } | { allowed: false; range: string };

function ipv4Verdict(ip: ipaddr.IPv4): Verdict {
  const range = ip.range();
  // Only ordinary unicast passes: private, loopback, link-local (169.254.169.254), CGNAT,
  // 0/8, multicast, broadcast and the reserved/documentation blocks all stop here.
  return range === 'unicast' ? { allowed: true } : { allowed: false, range };
}

/** The IPv4 address carried in the low 32 bits of an IPv6 one (NAT64). */
const low32 = (ip: ipaddr.IPv6) => {
  const p = ip.parts;
  return new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]);
};

/** The IPv4 address in bits 16-47 of a 6to4 (2002::/16) address. */
const sixToFour = (ip: ipaddr.IPv6) => {
  const p = ip.parts;
  return new ipaddr.IPv4([p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff]);
};

/** Whether a literal IP address is one a user-supplied URL may reach. */
export function addressVerdict(address: string): Verdict {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, ''));
  } catch {
    return { allowed: false, range: 'unparseable' };
  }
  if (ip.kind() === 'ipv4') return ipv4Verdict(ip as ipaddr.IPv4);
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  switch (range) {
    case 'unicast':
      return { allowed: true };
    // IPv4 spelled as IPv6: judged as the IPv4 address it reaches.
    case 'ipv4Mapped':
    case 'rfc6145':
      return ipv4Verdict(v6.toIPv4Address());
    case 'rfc6052':
      return ipv4Verdict(low32(v6));
    case '6to4':
      return ipv4Verdict(sixToFour(v6));
    default:
      // ::1, ::, fe80::/10, fc00::/7, ff00::/8, Teredo (its IPv4 is obfuscated), the rest of the special blocks.
      return { allowed: false, range };
  }
}

const portOf = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

function isException(address: string, port: number, exceptions: readonly LoopbackException[]): boolean {
  if (exceptions.length === 0) return false;
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return false;
  }
  // Only loopback can be excepted: the option can open a test server, never a private network.
  if (ip.range() !== 'loopback') return false;
  return exceptions.some((e) => {
    try {
      return e.port === port && ipaddr.process(e.address).toString() === ip.toString();
    } catch {
      return false;
    }
  });
}

/** Parses a user's URL and refuses anything but plain http(s) without credentials. */
export function parsePublicUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('bad_url', 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse(
      'scheme_not_allowed',
      `only http and https URLs can be fetched, not ${url.protocol.replace(/:$/, '')}`,
    );
  }
  if (url.username || url.password) throw refuse('credentials_in_url', 'URLs with a user name or password are refused');
  if (!url.hostname) throw refuse('bad_url', 'the URL has no host');
  return url;
}

/**
 * Resolves the URL's host and checks every address it has (one private
 * answer among public ones is enough to refuse). Returns the address to
 * connect to. IP literals in any spelling were already normalised by URL
 * (`http://2130706433`, `http://0x7f000001`, `http://127.1` are 127.0.0.1).
 */
export async function resolvePublicTarget(url: URL, options: SsrfGuardOptions = {}): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = portOf(url);
  const exceptions = options.testOnlyLoopbackExceptions ?? [];
  let addresses: readonly ResolvedAddress[];
  const literal = isIP(host);
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.resolve ?? defaultResolver)(host);
    } catch (err) {
      throw refuse('dns_failed', `could not resolve ${host}`, { code: (err as NodeJS.ErrnoException).code });
    }
    if (addresses.length === 0) throw refuse('dns_failed', `${host} has no addresses`);
  }
  for (const a of addresses) {
    const verdict = addressVerdict(a.address);
    if (!verdict.allowed && !isException(a.address, port, exceptions)) {
      throw refuse('blocked_address', `${host} points to an address that cannot be fetched (${verdict.range})`, {
        range: verdict.range,
      });
    }
  }
  return addresses[0]!;
}

/** A lookup that answers every name with the one address already checked. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (err: null, addresses: ResolvedAddress[]) => void)(null, [target]);
    } else {
      callback(null, target.address, target.family);
    }
  };
}

interface Hop {
  response: IncomingMessage;
  done: () => void;
}

function requestHop(
  url: URL,
  target: ResolvedAddress,
  options: Required<Pick<SafeFetchOptions, 'connectTimeoutMs' | 'accept' | 'userAgent'>>,
  signal: AbortSignal,
): Promise<Hop> {
  const secure = url.protocol === 'https:';
  const agentOptions = { keepAlive: false, maxSockets: 1, lookup: pinnedLookup(target) };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request({
      protocol: url.protocol,
      hostname: host,
      port: portOf(url),
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      agent,
      signal,
      headers: { host: url.host, accept: options.accept, 'user-agent': options.userAgent },
      ...(secure && !isIP(host) ? { servername: host } : {}),
    });
    const done = () => {
      req.destroy();
      agent.destroy();
    };
    const connectTimer = setTimeout(() => {
      req.destroy(new AppError('deadline_exceeded', `could not connect to ${url.host} in time`));
    }, options.connectTimeoutMs);
    req.once('socket', (socket) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.once('response', (response) => {
      clearTimeout(connectTimer);
      resolve({ response, done });
    });
    req.once('error', (err) => {
      clearTimeout(connectTimer);
      done();
      reject(err);
    });
    req.end();
  });
}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      throw new AppError('payload_too_large', `the file at the URL is larger than ${maxBytes} bytes`, {
        limit: maxBytes,
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Our errors pass through; a network failure becomes a 400 about the URL, a timeout a 504. */
function fetchFailure(err: unknown, url: URL, signal: AbortSignal): unknown {
  if (err instanceof AppError) return err;
  if (signal.aborted) return new AppError('deadline_exceeded', `fetching ${url.host} took too long`);
  const code = (err as NodeJS.ErrnoException).code;
  return badRequest(`could not fetch ${url.host}${code ? ` (${code})` : ''}`, { reason: 'fetch_failed', code });
}

/**
 * GETs a user-supplied URL through the guard: each hop's address is checked
 * and pinned, at most `maxRedirects` redirects are followed, the body is
 * capped while it streams, and the whole fetch has a deadline.
 */
export async function fetchPublicUrl(raw: string, options: SafeFetchOptions): Promise<SafeFetchResult> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const hopOptions = {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    accept: options.accept ?? '*/*',
    userAgent: options.userAgent ?? 'storyreel-fetch/1',
  };
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS);
  let url = parsePublicUrl(raw);
  try {
    for (let redirects = 0; ; redirects++) {
      const target = await resolvePublicTarget(url, options);
      let hop: Hop;
      try {
        hop = await requestHop(url, target, hopOptions, controller.signal);
      } catch (err) {
        throw fetchFailure(err, url, controller.signal);
      }
      const { response, done } = hop;
      try {
        const status = response.statusCode ?? 0;
        if (REDIRECT_STATUSES.has(status)) {
          const location = response.headers.location;
          if (!location) throw refuse('bad_redirect', `${url.host} redirected without a Location`);
          if (redirects >= maxRedirects) {
            throw refuse('too_many_redirects', `more than ${maxRedirects} redirects`, { limit: maxRedirects });
          }
          let next: URL;
          try {
            next = new URL(location, url);
          } catch {
            throw refuse('bad_redirect', `${url.host} redirected to an invalid URL`);
          }
          url = parsePublicUrl(next.href);
          continue;
        }
        if (status < 200 || status > 299) {
          throw badRequest(`the URL answered HTTP ${status}`, { reason: 'http_status', status });
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          throw new AppError('payload_too_large', `the file at the URL is larger than ${options.maxBytes} bytes`, {
            limit: options.maxBytes,
          });
        }
        const body = await readCapped(response, options.maxBytes);
        return { body, url: url.href, redirects, contentType: response.headers['content-type'] };
      } catch (err) {
        throw fetchFailure(err, url, controller.signal);
      } finally {
        done();
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}
