// `POST /api/kite/postback`: Kite's order postbacks (kite-connect.md §6). The body is read as text so that what is
// stored is exactly what arrived; its checksum (SHA-256 of order_id + order_timestamp + api secret) must verify with
// `[kite] apiSecret` (KITEPILOT_KITE_API_SECRET). A body that does not verify or is not a JSON object is answered 400,
// logged and stored raw (order_events, no order, source `postback`); a verified one goes to the running live
// trading, or is stored raw when none runs.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseAccountId, parseVenueOrderId, type AccountId, type JsonValue } from '@kitepilot/core';
import { verifyPostbackChecksum } from '@kitepilot/kite';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';

/** The path Kite posts order updates to (set it as the app's postback URL). */
export const KITE_POSTBACK_PATH = '/api/kite/postback';

/** Registers the postback route in its own scope (its body parser keeps the raw text). */
export function registerKitePostbackRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const log = ctx.logger.child({ component: 'kite-postback' });

  const accountId = async (): Promise<AccountId> => {
    const id = ctx.trading.current?.env.accountId ?? parseAccountId(ctx.config.trading.account);
    // order_events rows belong to an account: a postback may arrive before any trading created it.
    if ((await ctx.store.accounts.get(id)) === null) {
      await ctx.store.accounts.create({ id, name: 'default', createdAt: ctx.clock.now() });
    }
    return id;
  };

  const storeRaw = async (raw: string, parsed: unknown, why: string): Promise<void> => {
    const orderId =
      typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['order_id'] : null;
    const status =
      typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['status'] : null;
    let venueOrderId = null;
    if (typeof orderId === 'string') {
      try {
        venueOrderId = parseVenueOrderId(orderId);
      } catch (error) {
        log.warn({ err: error, orderId }, 'postback names an invalid order id');
      }
    }
    const payload: JsonValue =
      typeof parsed === 'object' && parsed !== null ? (parsed as JsonValue) : { raw, note: why };
    await ctx.store.orderEvents.append(await accountId(), {
      clientOrderId: null,
      venueOrderId,
      source: 'postback',
      venueStatus: typeof status === 'string' ? status : null,
      payload,
      receivedAt: ctx.clock.now(),
    });
  };

  const refuse = async (reply: FastifyReply, raw: string, parsed: unknown, message: string) => {
    log.warn({ bytes: raw.length, reason: message }, 'postback refused');
    await storeRaw(raw, parsed, message);
    return reply.status(400).send(errorBody('VALIDATION_FAILED', message));
  };

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(KITE_POSTBACK_PATH, async (request, reply) => {
      const raw = typeof request.body === 'string' ? request.body : '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw) as unknown;
      } catch (error) {
        return refuse(
          reply,
          raw,
          null,
          `postback body of ${raw.length} bytes is not JSON: ${(error as Error).message}`,
        );
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return refuse(reply, raw, null, `postback body is not a JSON object (${raw.slice(0, 40)})`);
      }
      const body = parsed as Record<string, unknown>;
      const secret = ctx.config.kite.apiSecret;
      if (secret === undefined) {
        return refuse(
          reply,
          raw,
          body,
          'kite.apiSecret is not set (KITEPILOT_KITE_API_SECRET): postbacks cannot be verified',
        );
      }
      if (!verifyPostbackChecksum(body, secret)) {
        const orderId = typeof body['order_id'] === 'string' ? body['order_id'] : 'unknown';
        return refuse(reply, raw, body, `postback for order ${orderId} has a checksum that does not verify`);
      }
      const onPostback = ctx.trading.current?.onPostback;
      if (onPostback === undefined) {
        log.info({ orderId: body['order_id'] }, 'postback stored: no live trading runs');
        await storeRaw(raw, body, 'no live trading runs');
      } else {
        onPostback(body);
      }
      return reply.status(200).send({ status: 'ok' });
    });
  });
}
