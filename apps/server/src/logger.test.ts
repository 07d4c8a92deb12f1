import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

describe('createLogger', () => {
  it('writes JSON lines with an ISO UTC time and a text level', () => {
    const { logger, lines } = capture();
    logger.info({ component: 'test' }, 'hello');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'hello', component: 'test', service: 'kitepilot' });
    expect(String(lines[0]?.['time'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('redacts credentials, tokens and checksums at the top level and one level down', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'p1',
        accessToken: 'at-secret',
        session: { access_token: 'at2-secret', request_token: 'rt-secret', user: 'AB1234' },
        kite: { apiSecret: 'api-secret-value', checksum: 'c0ffee' },
        req: { headers: { authorization: 'token k:t-secret', cookie: 'sid=cookie-secret' } },
      },
      'login',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of [
      'p1',
      'at-secret',
      'at2-secret',
      'rt-secret',
      'api-secret-value',
      'c0ffee',
      't-secret',
      'cookie-secret',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('AB1234');
    expect(lines[0]?.['accessToken']).toBe('[redacted]');
  });

  it('redacts through child loggers', () => {
    const { logger, lines } = capture();
    logger.child({ component: 'kite' }).warn({ token: 'tok-secret' }, 'expired');
    expect(JSON.stringify(lines[0])).not.toContain('tok-secret');
  });
});
