// `POST /api/broker/kite/postback` (alias `/api/kite/postback`, the path of earlier configurations): Kite's order
// postbacks (kite-connect.md §6). Public: the checksum (SHA-256 of order_id + order_timestamp + api secret, checked
// with `[kite] apiSecret`) authenticates them. The body is read as bytes, at most 64 KiB (413 beyond; a postback is
// about 2 KB), and every postback is recorded byte-exact in order_events (broker/postback-receipts.ts):
//   - not UTF-8 JSON, not an object, no api secret configured, or a checksum that does not verify: 400, recorded
//     as refused, never applied;
//   - verified and received before (same content): 200 `{ duplicate: true }`, not recorded or applied again;
//   - verified and new: recorded, then handed to the running live trading (`applied: true`), or kept when none runs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KitePostbackReplySchema, type KitePostbackReply } from '@kitepilot/api-contract';
import {
  parseAccountId,
  parseVenueOrderId,
  type AccountId,
  type JsonValue,
  type VenueOrderId,
} from '@kitepilot/core';
import { verifyPostbackChecksum } from '@kitepilot/kite';
import { postbackDigest, PostbackReceipts, type PostbackArrival } from '../../broker/postback-receipts.ts';
import { postbackMetricsOf } from '../../observability/postback-metrics.ts';
import { errorBody } from '../build-app.ts';
import type { RouteContext } from '../route-context.ts';

/** The path Kite posts order updates to (set it as the app's postback URL). */
export const KITE_POSTBACK_PATH = '/api/broker/kite/postback';
/** The earlier path, still served. */
export const KITE_POSTBACK_ALIAS_PATH = '/api/kite/postback';
/** The largest postback body accepted. */
export const POSTBACK_BODY_LIMIT_BYTES = 65_536;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/** Registers the postback routes in their own scope (its body parser keeps the raw bytes). */
export function registerKitePostbackRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const log = ctx.logger.child({ component: 'kite-postback' });
  const receipts = new PostbackReceipts(ctx.store.driver);

  const accountId = async (): Promise<AccountId> => {
    const id = ctx.trading.current?.env.accountId ?? parseAccountId(ctx.config.trading.account);
    // order_events rows belong to an account: a postback may arrive before any trading created it.
    if ((await ctx.store.accounts.get(id)) === null) {
      await ctx.store.accounts.create({ id, name: 'default', createdAt: ctx.clock.now() });
    }
    return id;
  };

  const arrival = async (request: FastifyRequest, raw: Buffer, parsed: unknown): Promise<PostbackArrival> => {
    const orderId = field(parsed, 'order_id');
    const status = field(parsed, 'status');
    let venueOrderId: VenueOrderId | null = null;
    if (typeof orderId === 'string') {
      try {
        venueOrderId = parseVenueOrderId(orderId);
      } catch (error) {
        log.warn({ err: error, orderId }, 'postback names an invalid order id');
      }
    }
    return {
      accountId: await accountId(),
      body: raw,
      contentType: request.headers['content-type'] ?? null,
      venueOrderId,
      venueStatus: typeof status === 'string' ? status : null,
      receivedAt: ctx.clock.now(),
    };
  };

  const refuse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    raw: Buffer,
    parsed: unknown,
    message: string,
  ) => {
    log.warn({ bytes: raw.length, reason: message }, 'postback refused');
    await receipts.recordRefused(await arrival(request, raw, parsed), message);
    return reply.status(400).send(errorBody('VALIDATION_FAILED', message));
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch (error) {
      return refuse(
        request,
        reply,
        raw,
        null,
        `postback body of ${raw.length} bytes is not UTF-8: ${(error as Error).message}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch (error) {
      return refuse(
        request,
        reply,
        raw,
        null,
        `postback body of ${raw.length} bytes is not JSON: ${(error as Error).message}`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return refuse(request, reply, raw, null, `postback body is not a JSON object (${text.slice(0, 40)})`);
    }
    const body = parsed as Record<string, unknown>;
    const secret = ctx.config.kite.apiSecret;
    if (secret === undefined) {
      return refuse(
        request,
        reply,
        raw,
        body,
        'kite.apiSecret is not set (KITEPILOT_KITE_API_SECRET): postbacks cannot be verified',
      );
    }
    if (!verifyPostbackChecksum(body, secret)) {
      const orderId = typeof body['order_id'] === 'string' ? body['order_id'] : 'unknown';
      return refuse(
        request,
        reply,
        raw,
        body,
        `postback for order ${orderId} has a checksum that does not verify`,
      );
    }
    const received = await arrival(request, raw, body);
    const recorded = await receipts.recordVerified(received, postbackDigest(body as JsonValue));
    if (recorded.duplicate) {
      log.info(
        { orderId: body['order_id'], firstEventId: recorded.id },
        'duplicate postback: not applied again',
      );
      const answer: KitePostbackReply = { status: 'ok', duplicate: true, applied: false };
      return reply.status(200).send(answer);
    }
    postbackMetricsOf(ctx.metrics)?.observePostback(body, received.receivedAt);
    const onPostback = ctx.trading.current?.onPostback;
    if (onPostback === undefined) {
      log.info({ orderId: body['order_id'] }, 'postback stored: no live trading runs');
      const answer: KitePostbackReply = { status: 'ok', duplicate: false, applied: false };
      return reply.status(200).send(answer);
    }
    onPostback(body);
    const answer: KitePostbackReply = { status: 'ok', duplicate: false, applied: true };
    return reply.status(200).send(answer);
  };

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    for (const path of [KITE_POSTBACK_PATH, KITE_POSTBACK_ALIAS_PATH]) {
      scope.post(
        path,
        {
          bodyLimit: POSTBACK_BODY_LIMIT_BYTES,
          config: { access: 'public' },
          schema: { response: { 200: KitePostbackReplySchema } },
        },
        handle,
      );
    }
  });
}
