import { describe, expect, it } from 'vitest';
import {
  DataException,
  GeneralException,
  InputException,
  KiteHttpError,
  KiteRateLimitError,
  MarginException,
  NetworkException,
  OrderException,
  TokenException,
  kiteErrorFromResponse,
} from './errors.ts';

const req = { method: 'POST', path: '/orders/regular' };
const body = (error_type: string, message = 'm') => ({ status: 'error', message, error_type, data: null });

describe('kiteErrorFromResponse', () => {
  it('maps each error_type to its class with retryable set by kind', () => {
    const cases = [
      [403, 'TokenException', TokenException, false],
      [400, 'InputException', InputException, false],
      [400, 'MarginException', MarginException, false],
      [500, 'OrderException', OrderException, false],
      [503, 'NetworkException', NetworkException, true],
      [502, 'DataException', DataException, true],
      [500, 'GeneralException', GeneralException, true],
    ] as const;
    for (const [status, type, cls, retryable] of cases) {
      const e = kiteErrorFromResponse(req, status, body(type));
      expect(e).toBeInstanceOf(cls);
      expect(e.retryable).toBe(retryable);
      expect(e.status).toBe(status);
      expect(e.errorType).toBe(type);
    }
  });

  it('maps a 429 to a retryable rate-limit error and a bodiless 5xx or 404 to KiteHttpError', () => {
    expect(kiteErrorFromResponse(req, 429, 'Too many requests')).toBeInstanceOf(KiteRateLimitError);
    const e502 = kiteErrorFromResponse(req, 502, '<html>bad gateway</html>');
    expect(e502).toBeInstanceOf(KiteHttpError);
    expect(e502.retryable).toBe(true);
    const e404 = kiteErrorFromResponse(req, 404, '', 'Not Found');
    expect(e404.retryable).toBe(false);
    expect(e404.message).toBe('Kite POST /orders/regular failed (HTTP 404): Not Found');
  });

  it('gives the broker message and the request in the error message', () => {
    const e = kiteErrorFromResponse(
      req,
      400,
      body('InputException', 'Quantity should be a multiple of lot size 65'),
    );
    expect(e.message).toBe(
      'Kite POST /orders/regular failed (HTTP 400): Quantity should be a multiple of lot size 65',
    );
    expect(e.name).toBe('InputException');
  });
});
