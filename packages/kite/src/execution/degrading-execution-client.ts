// Degradation to paper trading while the broker is unreachable, loudly flagged.
//
// The rule. The client is DEGRADED from the moment the live client reports BrokerDisconnected on link
// `execution`, or `isBrokerUnavailable()` answers a reason (e.g. the order circuit breaker is open), until the
// live client reports BrokerConnected on `execution` (the live client's orderbook poll keeps probing, so keep it
// running). While degraded, NEW orders (submit) go to the paper client; every order stays for its whole life
// with the client that received its submit: modify and cancel go there too, so orders already at the broker stay
// with the broker. Orders this process never saw (recovered after a restart) belong to the broker. Entering and
// leaving the state calls onDegraded(reason) / onRestored() and logs at error level; a paper order is logged at
// error level with its client order id.
import {
  noopLogger,
  type CancelOrder,
  type ClientOrderId,
  type ExecutionClient,
  type ExecutionHandler,
  type ExecutionReport,
  type Logger,
  type ModifyOrder,
  type Order,
} from '@kitepilot/core';

/** Settings of a DegradingExecutionClient. */
export interface DegradingExecutionClientOptions {
  readonly live: ExecutionClient;
  /** Any ExecutionClient that trades on paper (e.g. the simulator's SimExecutionClient fed live ticks). */
  readonly paper: ExecutionClient;
  readonly logger?: Logger;
  /** Called when new orders start going to paper, with the reason. */
  readonly onDegraded?: (reason: string) => void;
  /** Called when new orders go to the broker again. */
  readonly onRestored?: () => void;
  /** Returns a reason when the broker must be treated as unreachable now (checked at each submit), else null. */
  readonly isBrokerUnavailable?: () => string | null;
}

/** Which client holds an order. */
export type ExecutionVenue = 'live' | 'paper';

/** An ExecutionClient that sends new orders to paper while the broker is unreachable (see the file header). */
export class DegradingExecutionClient implements ExecutionClient {
  readonly #live: ExecutionClient;
  readonly #paper: ExecutionClient;
  readonly #logger: Logger;
  readonly #options: DegradingExecutionClientOptions;
  readonly #venueOf = new Map<ClientOrderId, ExecutionVenue>();
  #handler: ExecutionHandler | null = null;
  #degradedReason: string | null = null;
  /** The live client's last BrokerDisconnected reason on `execution`, null once connected again. */
  #linkDownReason: string | null = null;

  /** Creates the wrapper; reports of both clients reach the one handler. */
  constructor(options: DegradingExecutionClientOptions) {
    this.#live = options.live;
    this.#paper = options.paper;
    this.#options = options;
    this.#logger = (options.logger ?? noopLogger).child({ component: 'degrading-execution' });
    this.#live.setHandler((r) => {
      this.#watch(r);
      this.#forward(r);
    });
    this.#paper.setHandler((r) => this.#forward(r));
  }

  /** Returns the reason new orders go to paper, or null while they go to the broker. */
  get degradedReason(): string | null {
    return this.#degradedReason;
  }

  /** Returns which client received the order's submit, or null when this process never sent it. */
  venueOf(clientOrderId: ClientOrderId): ExecutionVenue | null {
    return this.#venueOf.get(clientOrderId) ?? null;
  }

  /** Sets the handler that receives the reports of both clients. */
  setHandler(handler: ExecutionHandler): void {
    this.#handler = handler;
  }

  /** Sends a new order to the broker, or to paper while degraded. */
  submit(order: Order): void | Promise<void> {
    this.#update(this.#options.isBrokerUnavailable?.() ?? null);
    if (this.#degradedReason === null) {
      this.#venueOf.set(order.clientOrderId, 'live');
      return this.#live.submit(order);
    }
    this.#venueOf.set(order.clientOrderId, 'paper');
    this.#logger.error(
      { clientOrderId: order.clientOrderId, intentId: order.intentId, reason: this.#degradedReason },
      'broker unreachable: order sent to PAPER trading',
    );
    return this.#paper.submit(order);
  }

  /** Sends the modification to the client holding the order. */
  modify(command: ModifyOrder, order: Order): void | Promise<void> {
    return this.#holder(order).modify(command, order);
  }

  /** Sends the cancellation to the client holding the order. */
  cancel(command: CancelOrder, order: Order): void | Promise<void> {
    return this.#holder(order).cancel(command, order);
  }

  #holder(order: Order): ExecutionClient {
    return this.#venueOf.get(order.clientOrderId) === 'paper' ? this.#paper : this.#live;
  }

  #forward(report: ExecutionReport): void {
    if (this.#handler === null) {
      this.#logger.error({ type: report.type }, 'execution report dropped: no handler set');
      return;
    }
    this.#handler(report);
  }

  #watch(report: ExecutionReport): void {
    if (report.type === 'BrokerDisconnected' && report.link === 'execution') {
      this.#linkDownReason = report.reason;
      this.#update(null);
    }
    if (report.type === 'BrokerConnected' && report.link === 'execution') {
      this.#linkDownReason = null;
      this.#update(this.#options.isBrokerUnavailable?.() ?? null);
    }
  }

  /** Enters or leaves the degraded state from the link state and the probe's answer. */
  #update(probeReason: string | null): void {
    const reason = this.#linkDownReason ?? probeReason;
    if (reason !== null && this.#degradedReason === null) {
      this.#degradedReason = reason;
      this.#logger.error({ reason }, 'broker unreachable: NEW ORDERS GO TO PAPER TRADING');
      this.#options.onDegraded?.(reason);
    } else if (reason === null && this.#degradedReason !== null) {
      this.#degradedReason = null;
      this.#logger.error({}, 'broker reachable again: new orders go to the broker');
      this.#options.onRestored?.();
    }
  }
}
