import { InvalidIdError } from './errors.ts';

declare const brand: unique symbol;

/** Returns a nominal type: `T` tagged with `B` so that differently-branded strings do not mix. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** The prefix of each kind of id we generate (STYLE.md "Names"). */
export const ID_PREFIXES = {
  account: 'acc',
  user: 'usr',
  strategy: 'str',
  intent: 'int',
  clientOrder: 'ord',
  run: 'run',
  fill: 'fil',
  signal: 'sig',
  jobRun: 'job',
  model: 'mdl',
  riskProfile: 'rsk',
} as const;

/** The name of a kind of prefixed id (`account`, `intent`, …). */
export type IdKind = keyof typeof ID_PREFIXES;

/** An account id, `acc_…`. */
export type AccountId = Brand<string, 'AccountId'>;
/** A user id, `usr_…`. */
export type UserId = Brand<string, 'UserId'>;
/** A strategy id, `str_…`. */
export type StrategyId = Brand<string, 'StrategyId'>;
/** An order intent id, `int_…`; its body is at most 18 characters so that it fits a Kite tag. */
export type IntentId = Brand<string, 'IntentId'>;
/** Our own order id, `ord_…` (never the broker's order id). */
export type ClientOrderId = Brand<string, 'ClientOrderId'>;
/** A run id (backtest, paper or live session with a config snapshot), `run_…`. */
export type RunId = Brand<string, 'RunId'>;
/** A fill id, `fil_…`. */
export type FillId = Brand<string, 'FillId'>;
/** A signal id, `sig_…`. */
export type SignalId = Brand<string, 'SignalId'>;
/** A scheduled job run id, `job_…`. */
export type JobRunId = Brand<string, 'JobRunId'>;
/** A model id, `mdl_…`. */
export type ModelId = Brand<string, 'ModelId'>;
/** A risk profile id, `rsk_…`. */
export type RiskProfileId = Brand<string, 'RiskProfileId'>;
/** The broker's order id (Kite `order_id`, a digit string); no prefix. */
export type VenueOrderId = Brand<string, 'VenueOrderId'>;
/** The broker's trade id (Kite `trade_id`); no prefix. */
export type VenueTradeId = Brand<string, 'VenueTradeId'>;

/** Maps each id kind to its branded type. */
export interface IdTypes {
  account: AccountId;
  user: UserId;
  strategy: StrategyId;
  intent: IntentId;
  clientOrder: ClientOrderId;
  run: RunId;
  fill: FillId;
  signal: SignalId;
  jobRun: JobRunId;
  model: ModelId;
  riskProfile: RiskProfileId;
}

/** Returns the branded id type of kind `K`. */
export type IdOf<K extends IdKind> = IdTypes[K];

/** The longest id body (after `prefix_`). */
export const ID_BODY_MAX_LENGTH = 40;
/** The longest intent id body: `KP` + body must fit Kite's 20-character tag (kite-connect.md §2.4). */
export const INTENT_ID_BODY_MAX_LENGTH = 18;

const BODY = /^[0-9A-Za-z]+$/;

/** Returns `s` as an id of `kind`; throws InvalidIdError on a wrong prefix, bad characters or length. */
export function parseId<K extends IdKind>(kind: K, s: string): IdOf<K> {
  const prefix = ID_PREFIXES[kind];
  if (typeof s !== 'string') {
    throw new InvalidIdError(`${kind} id must be a string, got ${typeof s}`);
  }
  if (!s.startsWith(prefix + '_')) {
    throw new InvalidIdError(`${kind} id ${JSON.stringify(s)} does not start with "${prefix}_"`);
  }
  const body = s.slice(prefix.length + 1);
  const max = kind === 'intent' ? INTENT_ID_BODY_MAX_LENGTH : ID_BODY_MAX_LENGTH;
  if (body.length === 0 || body.length > max) {
    throw new InvalidIdError(
      `${kind} id ${JSON.stringify(s)} has a body of ${body.length} characters; expected 1..${max}`,
    );
  }
  if (!BODY.test(body)) {
    throw new InvalidIdError(
      `${kind} id ${JSON.stringify(s)} may contain only [0-9A-Za-z] after "${prefix}_"`,
    );
  }
  return s as IdOf<K>;
}

/** Returns true when `s` is a well-formed id of `kind`. */
export function isId<K extends IdKind>(kind: K, s: string): s is IdOf<K> {
  try {
    parseId(kind, s);
    return true;
  } catch (error) {
    if (error instanceof InvalidIdError) return false;
    throw error;
  }
}

/** Returns `s` as an AccountId or throws InvalidIdError. */
export const parseAccountId = (s: string): AccountId => parseId('account', s);
/** Returns `s` as a UserId or throws InvalidIdError. */
export const parseUserId = (s: string): UserId => parseId('user', s);
/** Returns `s` as a StrategyId or throws InvalidIdError. */
export const parseStrategyId = (s: string): StrategyId => parseId('strategy', s);
/** Returns `s` as an IntentId or throws InvalidIdError. */
export const parseIntentId = (s: string): IntentId => parseId('intent', s);
/** Returns `s` as a ClientOrderId or throws InvalidIdError. */
export const parseClientOrderId = (s: string): ClientOrderId => parseId('clientOrder', s);
/** Returns `s` as a RunId or throws InvalidIdError. */
export const parseRunId = (s: string): RunId => parseId('run', s);
/** Returns `s` as a FillId or throws InvalidIdError. */
export const parseFillId = (s: string): FillId => parseId('fill', s);
/** Returns `s` as a SignalId or throws InvalidIdError. */
export const parseSignalId = (s: string): SignalId => parseId('signal', s);
/** Returns `s` as a JobRunId or throws InvalidIdError. */
export const parseJobRunId = (s: string): JobRunId => parseId('jobRun', s);
/** Returns `s` as a ModelId or throws InvalidIdError. */
export const parseModelId = (s: string): ModelId => parseId('model', s);
/** Returns `s` as a RiskProfileId or throws InvalidIdError. */
export const parseRiskProfileId = (s: string): RiskProfileId => parseId('riskProfile', s);

const VENUE_ID = /^[0-9A-Za-z_-]{1,64}$/;

/** Returns `s` as the broker's order id; throws InvalidIdError when empty or not [0-9A-Za-z_-]{1,64}. */
export function parseVenueOrderId(s: string): VenueOrderId {
  if (!VENUE_ID.test(s)) throw new InvalidIdError(`venue order id ${JSON.stringify(s)} is malformed`);
  return s as VenueOrderId;
}

/** Returns `s` as the broker's trade id; throws InvalidIdError when empty or not [0-9A-Za-z_-]{1,64}. */
export function parseVenueTradeId(s: string): VenueTradeId {
  if (!VENUE_ID.test(s)) throw new InvalidIdError(`venue trade id ${JSON.stringify(s)} is malformed`);
  return s as VenueTradeId;
}
