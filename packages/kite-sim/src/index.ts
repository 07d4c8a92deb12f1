// @kitepilot/kite-sim: a protocol-faithful Kite Connect simulator for tests and the labelled demo mode.
// Everything it emits is simulated: tradingsymbols start with `SIM`, names with `SIM ` (or `SIMNIFTY`).
export { startKiteSim, SIM_USER_ID } from './kite-sim.ts';
export type { KiteSim, KiteSimFaults, KiteSimOptions } from './kite-sim-types.ts';
export type { SimExchange, SimInstrument, SimInstrumentType, SimSegment } from './market/sim-instrument.ts';
export {
  encodeTickerFrame,
  packetFromSnapshot,
  packetLength,
  INDICES_SEGMENT,
  type RawDepthEntry,
  type TickerMode,
  type TickPacket,
} from './ws/ticker-encoder.ts';
export { INSTRUMENTS_CSV_HEADER } from './market/instruments-csv.ts';
export { TOO_MANY_REQUESTS_BODY } from './http/rest-handler.ts';
export { KITE_RATE_LIMITS, type RateClass } from './http/rate-limiter.ts';
export { nextSixAmIst } from './http/session-store.ts';
export { postbackPayload } from './postback/postback-sender.ts';
