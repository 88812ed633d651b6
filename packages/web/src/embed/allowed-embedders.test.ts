import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { embedderAllowed } from './allowed-embedders.js';

describe('embedderAllowed', () => {
  it('lets any host in with *, and only listed origins otherwise', () => {
    assert.equal(embedderAllowed('https://anyone.example', ['*']), true);
    assert.equal(embedderAllowed('https://lms.example.org', ['https://lms.example.org', 'https://intranet.example.org']), true);
    assert.equal(embedderAllowed('https://evil.example', ['https://lms.example.org']), false);
  });

  it('compares whole origins: scheme and port count, and no list (a page without the server\'s tag) allows nobody', () => {
    assert.equal(embedderAllowed('http://lms.example.org', ['https://lms.example.org']), false);
    assert.equal(embedderAllowed('https://lms.example.org:8443', ['https://lms.example.org']), false);
    assert.equal(embedderAllowed('https://lms.example.org', []), false);
  });
});
