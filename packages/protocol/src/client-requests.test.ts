import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientRequests } from './client-requests.js';

function client() {
  const sent: Array<{ id: number; method: string }> = [];
  const requests = new ClientRequests({
    timeout: (method) => new Error(`timeout ${method}`),
    refused: (method, error) => new Error(`refused ${method} ${error.code}`),
    malformed: (method) => new Error(`malformed ${method}`),
  });
  const send = (frame: string) => sent.push(JSON.parse(frame));
  const answer = (message: object) => requests.receive(JSON.stringify(message), {});
  return { requests, sent, send, answer };
}

describe('client requests', () => {
  it('numbers requests and resolves each with its validated answer', async () => {
    const { requests, sent, send, answer } = client();
    const first = requests.request('leave', {}, send);
    const second = requests.request('setDisplayName', { displayName: 'Ana' }, send);
    assert.deepEqual(sent.map((m) => [m.id, m.method]), [[1, 'leave'], [2, 'setDisplayName']]);
    answer({ type: 'response', id: 2, ok: true, data: {} });
    answer({ type: 'response', id: 1, ok: true, data: {} });
    assert.deepEqual(await Promise.all([first, second]), [{}, {}]);
  });

  it('rejects a refusal, a malformed answer, and whatever waits when the socket closes', async () => {
    const { requests, send, answer } = client();
    const refused = requests.request('leave', {}, send);
    const malformed = requests.request('leave', {}, send);
    const waiting = requests.request('leave', {}, send);
    answer({ type: 'response', id: 1, ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
    answer({ type: 'response', id: 2, ok: true, data: { unexpected: true } });
    requests.failAll((method) => new Error(`closed during ${method}`));
    await assert.rejects(refused, /refused leave FORBIDDEN/);
    await assert.rejects(malformed, /malformed leave/);
    await assert.rejects(waiting, /closed during leave/);
  });

  it('hands valid notifications to their handler and says why it ignored anything else', () => {
    const { requests } = client();
    const heard: unknown[] = [];
    const handlers = { participantLeft: (data: unknown) => heard.push(data) };
    const left = { participantId: 'bea', reason: 'left' };
    assert.equal(requests.receive(JSON.stringify({ type: 'notification', method: 'participantLeft', data: left }), handlers), undefined);
    assert.deepEqual(heard, [left]);
    assert.match(requests.receive('not json', handlers)!, /malformed message/);
    assert.match(requests.receive(JSON.stringify({ type: 'notification', method: 'participantLeft', data: { reason: 'gone' } }), handlers)!, /invalid "participantLeft"/);
    assert.equal(requests.receive(JSON.stringify({ type: 'notification', method: 'fromANewerServer', data: {} }), handlers), undefined);
    assert.equal(requests.receive(JSON.stringify({ type: 'response', id: 99, ok: true, data: {} }), handlers), undefined, 'an answer nobody waits for');
    assert.equal(heard.length, 1);
  });
});
