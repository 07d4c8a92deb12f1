// Pending HTTP faults: each arms the next n requests whose path starts with a prefix.

/** One kind of HTTP fault. */
export type HttpFault =
  | { readonly kind: 'fail'; readonly status: 500 | 502 | 503 | 504 }
  | { readonly kind: 'rate-limit' }
  | { readonly kind: 'delay'; readonly ms: number };

interface Armed {
  readonly fault: HttpFault;
  readonly pathPrefix: string;
  remaining: number;
}

/** The queue of armed HTTP faults, consumed in the order they were armed. */
export class FaultState {
  readonly #armed: Armed[] = [];

  /** Arms a fault for the next `n` requests under `pathPrefix`. */
  arm(fault: HttpFault, n: number, pathPrefix = '/'): void {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`fault count ${n} must be a non-negative integer`);
    if (n > 0) this.#armed.push({ fault, pathPrefix, remaining: n });
  }

  /** Returns and consumes the faults that apply to a request path (at most one of each kind). */
  take(path: string): HttpFault[] {
    const out: HttpFault[] = [];
    const kinds = new Set<string>();
    for (const armed of this.#armed) {
      if (armed.remaining > 0 && path.startsWith(armed.pathPrefix) && !kinds.has(armed.fault.kind)) {
        armed.remaining -= 1;
        kinds.add(armed.fault.kind);
        out.push(armed.fault);
      }
    }
    for (let i = this.#armed.length - 1; i >= 0; i--) {
      if (this.#armed[i]?.remaining === 0) this.#armed.splice(i, 1);
    }
    return out;
  }
}
