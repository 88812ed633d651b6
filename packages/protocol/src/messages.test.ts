import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorBody, Notifications, RequestEnvelope, Requests, ServerMessage, isRequestMethod } from './messages.js';

describe('protocol schemas', () => {
  it('accepts a well-formed join request', () => {
    const parsed = Requests.join.request.safeParse({ room: 'Team', displayName: ' Ana ' });
    assert.ok(parsed.success);
    assert.equal(parsed.data.displayName, 'Ana', 'display names are trimmed');
  });

  it('refuses unknown keys, wrong types and over-long names', () => {
    assert.equal(Requests.join.request.safeParse({ room: 'Team', displayName: 'Ana', admin: true }).success, false);
    assert.equal(Requests.join.request.safeParse({ room: 42, displayName: 'Ana' }).success, false);
    assert.equal(Requests.join.request.safeParse({ room: 'Team', displayName: 'x'.repeat(65) }).success, false);
  });

  it('refuses a produce whose source is not a known one', () => {
    const parsed = Requests.produce.request.safeParse({
      transportId: 't',
      kind: 'video',
      source: 'webcam2',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }] },
      paused: false,
    });
    assert.equal(parsed.success, false);
  });

  it('requires the request envelope to be exact', () => {
    assert.ok(RequestEnvelope.safeParse({ type: 'request', id: 1, method: 'join', data: {} }).success);
    assert.equal(RequestEnvelope.safeParse({ type: 'request', id: -1, method: 'join', data: {} }).success, false);
    assert.equal(RequestEnvelope.safeParse({ type: 'request', id: 1.5, method: 'join' }).success, false);
    assert.equal(RequestEnvelope.safeParse({ type: 'notification', id: 1, method: 'join' }).success, false);
    assert.equal(RequestEnvelope.safeParse({ type: 'request', id: 1, method: 'join', data: {}, extra: 1 }).success, false);
  });

  it('knows its methods and nothing inherited from Object', () => {
    assert.equal(isRequestMethod('join'), true);
    assert.equal(isRequestMethod('toString'), false);
    assert.equal(isRequestMethod('__proto__'), false);
  });

  it('parses both response shapes and notifications on the client side', () => {
    assert.ok(ServerMessage.safeParse({ type: 'response', id: 3, ok: true, data: {} }).success);
    assert.ok(ServerMessage.safeParse({ type: 'response', id: 3, ok: false, error: { code: 'NOT_JOINED', message: 'x' } }).success);
    assert.equal(ErrorBody.safeParse({ code: 'MADE_UP', message: 'x' }).success, false, 'error codes are a closed set');
    assert.ok(Notifications.participantLeft.safeParse({ participantId: 'abc', reason: 'left' }).success);
  });
});
