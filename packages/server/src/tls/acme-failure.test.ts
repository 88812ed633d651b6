import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AcmeFailure, describeAcmeFailure } from './acme-failure.js';

describe('AcmeFailure: what went wrong with the CA, and what the operator reads', () => {
  it('tells an unreachable CA from a refusal, a rate limit and a failed validation', () => {
    assert.equal(AcmeFailure.from(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'order').kind, 'unreachable');
    assert.equal(AcmeFailure.from(Object.assign(new Error('x'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 'account').message, "UNABLE_TO_VERIFY_LEAF_SIGNATURE (the CA's HTTPS certificate is not trusted)");
    assert.equal(AcmeFailure.from(Object.assign(new Error('Service Unavailable'), { response: { status: 503 } }), 'order').kind, 'unreachable');
    // Let's Encrypt's words for its limits (acme-client passes the problem document's detail on).
    const limited = AcmeFailure.from(new Error('Error creating new order :: too many certificates already issued for exact set of domains'), 'order');
    assert.equal(limited.kind, 'rate-limit');
    assert.equal(AcmeFailure.from(Object.assign(new Error('slow down'), { response: { status: 429 } }), 'account').kind, 'rate-limit');
    assert.equal(AcmeFailure.from(new Error('Connection refused'), 'validation').kind, 'validation');
    const refused = AcmeFailure.from(new Error('Domain name contains an invalid character'), 'order');
    assert.equal(refused.kind, 'refused');
    assert.equal(refused.message, 'order: Domain name contains an invalid character');
  });

  it('says what to do in each case', () => {
    assert.match(describeAcmeFailure(new AcmeFailure('rate-limit', 'too many certificates'), 'meet.example.org'), /rate limit .* LETSENCRYPT_USE_STAGING=1/);
    assert.match(describeAcmeFailure(new AcmeFailure('validation', 'Connection refused'), 'meet.example.org'), /meet\.example\.org points at this machine .* ports 80 and 443 .* tertulia doctor/);
    assert.match(describeAcmeFailure(new AcmeFailure('unreachable', 'ETIMEDOUT'), 'meet.example.org'), /unreachable \(ETIMEDOUT\).*outbound HTTPS/);
  });
});
