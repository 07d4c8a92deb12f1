// Postbacks (kite-connect.md §6): the order object plus user_id, app_id, unfilled_quantity and
// checksum = SHA-256(order_id + order_timestamp + api_secret), POSTed as raw JSON; faults delay or lose them.
import { createHash } from 'node:crypto';

/** What the postback sender needs. */
export interface PostbackSenderDeps {
  readonly url: string | null;
  readonly apiSecret: string;
  readonly appId: number;
  readonly userId: string;
  readonly later: (ms: number, run: () => void) => void;
}

/** Returns the postback payload of an order object. */
export function postbackPayload(
  order: Record<string, unknown>,
  deps: Pick<PostbackSenderDeps, 'apiSecret' | 'appId' | 'userId'>,
): Record<string, unknown> {
  const orderId = String(order['order_id']);
  const timestamp = String(order['order_timestamp']);
  const quantity = Number(order['quantity']);
  const filled = Number(order['filled_quantity']);
  const cancelled = Number(order['cancelled_quantity']);
  return {
    ...order,
    user_id: deps.userId,
    app_id: deps.appId,
    unfilled_quantity: Math.max(0, quantity - filled - cancelled),
    checksum: createHash('sha256')
      .update(orderId + timestamp + deps.apiSecret)
      .digest('hex'),
  };
}

/** Sends postbacks in order, applying the armed delay and loss faults. */
export class PostbackSender {
  readonly #deps: PostbackSenderDeps;
  #delayMs = 0;
  #toLose = 0;
  #chain: Promise<void> = Promise.resolve();
  readonly #failures: string[] = [];
  #sent = 0;
  #lost = 0;

  /** Creates the sender. */
  constructor(deps: PostbackSenderDeps) {
    this.#deps = deps;
  }

  /** Delays every later postback by `ms`. */
  delay(ms: number): void {
    this.#delayMs = ms;
  }

  /** Drops the next `n` postbacks. */
  lose(n: number): void {
    this.#toLose += n;
  }

  /** Returns delivery counters and the messages of failed deliveries. */
  stats(): { readonly sent: number; readonly lost: number; readonly failures: readonly string[] } {
    return { sent: this.#sent, lost: this.#lost, failures: [...this.#failures] };
  }

  /** Queues the postback of an order state change. */
  send(order: Record<string, unknown>): void {
    const url = this.#deps.url;
    if (url === null) return;
    if (this.#toLose > 0) {
      this.#toLose -= 1;
      this.#lost += 1;
      return;
    }
    const body = JSON.stringify(postbackPayload(order, this.#deps));
    const delayMs = this.#delayMs;
    this.#chain = this.#chain.then(async () => {
      if (delayMs > 0) await new Promise<void>((resolve) => this.#deps.later(delayMs, resolve));
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        if (res.ok) this.#sent += 1;
        else this.#failures.push(`postback to ${url} answered ${res.status}`);
      } catch (error) {
        this.#failures.push(
          `postback to ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
  }

  /** Resolves when every queued postback has been attempted. */
  async drain(): Promise<void> {
    await this.#chain;
  }
}
