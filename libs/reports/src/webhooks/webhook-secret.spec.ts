import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook, webhookSecretKey } from './webhook-secret';

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const body = JSON.stringify({ type: 'report.completed', data: { reportId: 'r_1', rows: 3 } });

describe('newWebhookSecret', () => {
  it('is whsec_ and the base64 of 32 random bytes, new each time', () => {
    const first = newWebhookSecret();
    const second = newWebhookSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSecretKey(first)).toHaveLength(32);
    expect(second).not.toBe(first);
  });
});

describe('webhookSecretKey', () => {
  it('decodes the base64 after the prefix', () => {
    const key = Buffer.alloc(32, 7);
    expect(webhookSecretKey(`whsec_${key.toString('base64')}`).equals(key)).toBe(true);
  });

  it.each([
    ['no prefix', Buffer.alloc(32, 1).toString('base64'), /must start with "whsec_"/],
    ['an empty key', 'whsec_', /not base64/],
    ['characters outside base64', `whsec_${'A'.repeat(40)}!!!!`, /not base64/],
    ['base64url instead of base64', `whsec_${'_-'.repeat(22)}`, /not base64/],
    ['a missing padding', `whsec_${Buffer.alloc(32, 1).toString('base64').slice(0, -1)}`, /base64/],
    ['a key too short', `whsec_${Buffer.alloc(16, 1).toString('base64')}`, /16 bytes/],
    ['a key too long', `whsec_${Buffer.alloc(65, 1).toString('base64')}`, /65 bytes/],
  ])('throws on %s, without repeating the secret', (_, secret, message) => {
    const error = thrownBy(() => webhookSecretKey(secret));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(secret);
  });
});

describe('signWebhook', () => {
  it('produces headers that the standardwebhooks library verifies', () => {
    const secret = newWebhookSecret();
    const headers = signWebhook({ id: 'msg_1', timestamp: nowSeconds(), body, secrets: [secret] });
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('matches the library’s own signature for the same message', () => {
    const secret = newWebhookSecret();
    const timestamp = 1_767_225_600;
    const headers = signWebhook({ id: 'msg_2', timestamp, body, secrets: [secret] });
    expect(headers['webhook-timestamp']).toBe('1767225600');
    expect(headers['webhook-signature']).toBe(
      new Webhook(secret).sign('msg_2', new Date(timestamp * 1000), body),
    );
  });

  it('signs with every secret during a rotation, and each one verifies alone', () => {
    const [previous, next] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signWebhook({
      id: 'msg_3',
      timestamp: nowSeconds(),
      body,
      secrets: [previous, next],
    });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(next).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it('fails verification for a tampered body, id or timestamp', () => {
    const secret = newWebhookSecret();
    const timestamp = nowSeconds();
    const headers = signWebhook({ id: 'msg_4', timestamp, body, secrets: [secret] });
    const verifier = new Webhook(secret);
    expect(() => verifier.verify(body.replace('3', '4'), { ...headers })).toThrow();
    expect(() => verifier.verify(`${body} `, { ...headers })).toThrow();
    expect(() => verifier.verify(body, { ...headers, 'webhook-id': 'msg_5' })).toThrow();
    expect(() =>
      verifier.verify(body, { ...headers, 'webhook-timestamp': String(timestamp - 1) }),
    ).toThrow();
  });

  it('signs the exact body, byte for byte, including non-ASCII text', () => {
    const secret = newWebhookSecret();
    const text = JSON.stringify({ name: 'Ümsatz – Q1 📈' });
    const headers = signWebhook({
      id: 'msg_6',
      timestamp: nowSeconds(),
      body: text,
      secrets: [secret],
    });
    expect(() =>
      new Webhook(secret).verify(Buffer.from(text, 'utf8'), { ...headers }),
    ).not.toThrow();
  });

  it.each([
    ['no secret', { secrets: [] }, /at least one signing secret/],
    ['a malformed secret', { secrets: ['whsec_nope'] }, /malformed webhook secret/],
    ['a fractional timestamp', { timestamp: 1.5 }, /whole Unix seconds/],
    ['a timestamp past the safe integer range', { timestamp: 2 ** 60 }, /whole Unix/],
    ['an id with a dot', { id: 'msg.1' }, /without whitespace or dots/],
    ['an empty id', { id: '' }, /non-empty/],
  ])('refuses %s', (_, change, message) => {
    const valid = { id: 'msg_7', timestamp: nowSeconds(), body, secrets: [newWebhookSecret()] };
    expect(() => signWebhook({ ...valid, ...change })).toThrow(message);
  });
});
