/**
 * Pod IPs of one node, handed out as kind's host-local IPAM does: from the node's /24, skipping
 * the network address, the gateway (.1) and broadcast (.255), continuing after the last address
 * given (so a replacement pod gets a new address) and wrapping around when the range is used up.
 */

/** Thrown when every address of a node's range is in use. */
export class PodAddressesExhaustedError extends Error {
  constructor(cidr: string) {
    super(`failed to allocate for range 0: no IP addresses available in range set: ${cidr}`);
    this.name = 'PodAddressesExhaustedError';
  }
}

/** A node's pod address pool over `${prefix}.2` … `${prefix}.254`. */
export class PodIpPool {
  readonly prefix: string;
  readonly #inUse = new Map<string, string>();
  #last = 1;

  /** `prefix` is the first three octets: `10.244.1`. */
  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** The CIDR this pool covers: `10.244.1.0/24`. */
  get cidr(): string {
    return `${this.prefix}.0/24`;
  }

  /** The address held by an owner (pod uid), allocating the next free one on first call. */
  allocate(owner: string): string {
    for (const [ip, holder] of this.#inUse) if (holder === owner) return ip;
    for (let step = 1; step <= 253; step++) {
      const host = ((this.#last - 2 + step) % 253) + 2;
      const ip = `${this.prefix}.${host}`;
      if (!this.#inUse.has(ip)) {
        this.#inUse.set(ip, owner);
        this.#last = host;
        return ip;
      }
    }
    throw new PodAddressesExhaustedError(this.cidr);
  }

  /** Gives back the address of an owner, if it holds one. */
  release(owner: string): void {
    for (const [ip, holder] of this.#inUse) if (holder === owner) this.#inUse.delete(ip);
  }

  /** Marks an address as taken (a pod found already running with it). */
  reserve(ip: string, owner: string): void {
    if (ip.startsWith(`${this.prefix}.`)) this.#inUse.set(ip, owner);
  }

  /** How many addresses are held. */
  get size(): number {
    return this.#inUse.size;
  }
}
