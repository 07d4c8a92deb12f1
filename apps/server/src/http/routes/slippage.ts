// `GET /api/slippage/calibration?account=acc_…&from=YYYY-MM-DD&to=YYYY-MM-DD&model=fixed-bps|volatility-participation
// &simulated=true|false`: fits a slippage model to the account's recorded MARKET and SL-M fills over the IST dates
// (research/slippage-calibration.ts) and answers the fitted parameter, the sample counts, the errors and the
// `--slippage` flag for `kitepilot backtest`. Defaults: the caller's default account, fixed-bps, the real namespace.
// 400: a malformed query (dates, account, model); 404: an unknown account; 422: no usable sample in the range (the
// message says why: no filled market order, none with a reference price, or no fill bar for volatility-participation).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { InvalidIdError, parseAccountId, type AccountId } from '@kitepilot/core';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';
import {
  calibrateSlippageFromStore,
  istDateRange,
  NoSlippageSamplesError,
  SlippageQueryError,
  slippageModelOf,
} from '../../research/slippage-calibration.ts';

const IstDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'IST date YYYY-MM-DD' });

/** The query of `GET /api/slippage/calibration`. */
export const SlippageCalibrationQuerySchema = Type.Object(
  {
    account: Type.Optional(
      Type.String({ description: "account id (default: the caller's default account)" }),
    ),
    from: IstDate,
    to: IstDate,
    model: Type.Optional(
      Type.Union([Type.Literal('fixed-bps'), Type.Literal('volatility-participation')], {
        description: 'the model to fit (default fixed-bps)',
      }),
    ),
    simulated: Type.Optional(
      Type.Boolean({ description: "read reference prices from the 'simulated' namespace (default: 'real')" }),
    ),
  },
  { additionalProperties: false },
);
/** The query of `GET /api/slippage/calibration`. */
export type SlippageCalibrationQuery = Static<typeof SlippageCalibrationQuerySchema>;

const SkippedOrderSchema = Type.Object(
  {
    clientOrderId: Type.String(),
    instrumentId: Type.String(),
    reason: Type.Union([Type.Literal('no-reference-price'), Type.Literal('no-stored-fills')]),
  },
  { additionalProperties: false },
);

/** The answer of `GET /api/slippage/calibration`. */
export const SlippageCalibrationSchema = Type.Object(
  {
    accountId: Type.String(),
    from: Type.String(),
    to: Type.String(),
    namespace: Type.Union([Type.Literal('real'), Type.Literal('simulated')]),
    model: Type.Union([Type.Literal('fixed-bps'), Type.Literal('volatility-participation')]),
    parameter: Type.Number({ description: 'bps for fixed-bps, k for volatility-participation' }),
    samples: Type.Integer({ description: 'samples used in the fit' }),
    skipped: Type.Integer({ description: 'samples the model could not use (no fill bar with volume)' }),
    maeBps: Type.Number(),
    maePaise: Type.Number(),
    meanBps: Type.Number({ description: 'mean observed adverse slippage; negative: price improved' }),
    orders: Type.Integer({ description: 'orders created in the range' }),
    filledMarketOrders: Type.Integer({ description: 'MARKET and SL-M orders in the range with fills' }),
    skippedOrders: Type.Array(SkippedOrderSchema),
    tickReferences: Type.Integer({
      description: 'samples whose reference price is a tick (the rest: a bar close)',
    }),
    slippageFlag: Type.String({ description: 'the --slippage value for kitepilot backtest: bps:N or vol:K' }),
  },
  { additionalProperties: false },
);

/** An account id that is well formed but not stored. */
class UnknownAccountError extends Error {
  override name = 'UnknownAccountError';
}

function accountOf(value: string): AccountId {
  try {
    return parseAccountId(value);
  } catch (error) {
    if (error instanceof InvalidIdError)
      throw new SlippageQueryError(`account ${error.message}`, { cause: error });
    throw error;
  }
}

function replySlippageError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof SlippageQueryError)
    return reply.status(400).send(errorBody('VALIDATION_FAILED', error.message));
  if (error instanceof UnknownAccountError)
    return reply.status(404).send(errorBody('NOT_FOUND', error.message));
  if (error instanceof NoSlippageSamplesError) {
    return reply.status(422).send(errorBody('VALIDATION_FAILED', error.message));
  }
  throw error;
}

/** Registers `GET /api/slippage/calibration`. */
export function registerSlippageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: SlippageCalibrationQuery }>(
    '/api/slippage/calibration',
    {
      config: { access: 'readonly', account: 'query' },
      schema: {
        querystring: SlippageCalibrationQuerySchema,
        response: {
          200: SlippageCalibrationSchema,
          400: { $ref: 'ErrorBody#' },
          404: { $ref: 'ErrorBody#' },
          422: { $ref: 'ErrorBody#' },
        },
      },
    },
    async (request, reply) => {
      try {
        const q = request.query;
        // The guard has resolved the account (the caller's default when the query named none) and checked it.
        if (q.account === undefined)
          throw new Error('the auth guard did not resolve the account of a calibration');
        const accountId = accountOf(q.account);
        const model = slippageModelOf(q.model ?? 'fixed-bps');
        istDateRange(q.from, q.to);
        if ((await ctx.store.accounts.get(accountId)) === null) {
          throw new UnknownAccountError(`account ${accountId} does not exist`);
        }
        return await calibrateSlippageFromStore(
          ctx.store,
          { accountId, from: q.from, to: q.to, namespace: q.simulated === true ? 'simulated' : 'real' },
          model,
        );
      } catch (error) {
        return replySlippageError(reply, error);
      }
    },
  );
}
