import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG, withConfigOverwrite } from './client-config.js';

test('overwriteConfig takes configOverwrite keys, nested as Jitsi nests them, through the same checks', () => {
  const config = withConfigOverwrite(DEFAULT_CONFIG, { toolbarButtons: ['chat', 'fullscreen'], participantsPane: { enabled: false }, readOnlyName: 'yes' });
  assert.deepEqual(config.toolbarButtons, ['chat'], 'names Tertulia has no button for are dropped');
  assert.equal(config.participantsPaneEnabled, false);
  assert.equal(config.readOnlyName, false, 'a wrongly typed value changes nothing');
  assert.equal(DEFAULT_CONFIG.participantsPaneEnabled, true, 'the base is left as it was');
});

test('overwriteConfig refuses security keys, naming them, and anything but an object', () => {
  assert.throws(() => withConfigOverwrite(DEFAULT_CONFIG, { lobby: { enabled: false }, websocket: 'wss://evil.example', hideConferenceTimer: true }), /config\.lobby\.enabled, config\.websocket can only be set on the server/);
  for (const bad of [null, 'x', ['toolbarButtons'], 3]) assert.throws(() => withConfigOverwrite(DEFAULT_CONFIG, bad), /expected a config object/);
});
