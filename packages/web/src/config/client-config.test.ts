import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOverrides, DEFAULT_CONFIG, OVERRIDABLE_KEYS, parseHashParams, SERVER_ONLY_KEYS, showsButton } from './client-config.js';

const apply = (hash: string) => applyOverrides(DEFAULT_CONFIG, parseHashParams(hash));
const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));

test('toolbarButtons (config or interfaceConfig TOOLBAR_BUTTONS) keeps Jitsi names Tertulia has and drops the others', () => {
  const config = apply(`#config.toolbarButtons=${json(['microphone', 'camera', 'hangup', 'fullscreen'])}`);
  assert.deepEqual(config.toolbarButtons, ['microphone', 'camera', 'hangup']);
  assert.equal(showsButton(config, 'hangup'), true);
  assert.equal(showsButton(config, 'chat'), false);
  assert.deepEqual(apply(`#interfaceConfig.TOOLBAR_BUTTONS=${json(['chat'])}`).toolbarButtons, ['chat']);
  assert.equal(showsButton(DEFAULT_CONFIG, 'chat'), true, 'no list: every button');
});

test('a wrongly typed value changes nothing', () => {
  for (const bad of ['"microphone"', json([1, 2]), json({ a: 1 }), json(Array(129).fill('chat')), json(['x'.repeat(129)])]) {
    assert.equal(apply(`#config.toolbarButtons=${bad}`).toolbarButtons, undefined, bad);
  }
  assert.equal(apply('#config.readOnlyName="yes"').readOnlyName, false);
  assert.equal(apply('#config.hideConferenceTimer=1').hideConferenceTimer, false);
  assert.equal(apply(`#config.defaultRemoteDisplayName=${json('x'.repeat(65))}`).defaultRemoteDisplayName, undefined);
});

test('presentation keys are taken with their Jitsi names', () => {
  const config = apply(
    '#config.readOnlyName=true&config.hideConferenceSubject=true&config.hideConferenceTimer=true&config.disableModeratorIndicator=true' +
      '&config.disableReactions=true&config.disablePolls=true&config.disableTileView=true&config.startSilent=true&config.requireDisplayName=true' +
      `&config.defaultLocalDisplayName=${json('me')}&config.defaultRemoteDisplayName=${json('Guest')}` +
      `&config.hiddenPremeetingButtons=${json(['camera', 'invite'])}&config.disableDeepLinking=true`,
  );
  assert.deepEqual(
    { ...config, hiddenPremeetingButtons: [...config.hiddenPremeetingButtons] },
    {
      ...DEFAULT_CONFIG,
      readOnlyName: true,
      hideConferenceSubject: true,
      hideConferenceTimer: true,
      disableModeratorIndicator: true,
      disableReactions: true,
      disablePolls: true,
      disableTileView: true,
      startSilent: true,
      requireDisplayName: true,
      defaultLocalDisplayName: 'me',
      defaultRemoteDisplayName: 'Guest',
      hiddenPremeetingButtons: ['camera'],
    },
  );
});

test('notifications, join/leave notices, self view, filmstrip, lobby and breakout buttons, participants pane', () => {
  const config = apply(
    `#config.notifications=${json(['notify.raisedHand'])}&interfaceConfig.DISABLE_JOIN_LEAVE_NOTIFICATIONS=true&config.disableSelfView=true` +
      `&config.filmstrip=${json({ disabled: true })}&config.securityUi=${json({ hideLobbyButton: true })}` +
      `&config.breakoutRooms=${json({ hideAddRoomButton: true })}&config.participantsPane=${json({ enabled: false })}`,
  );
  assert.deepEqual(config.notifications, ['notify.raisedHand']);
  assert.equal(config.disableJoinLeaveNotifications, true);
  assert.equal(config.disableSelfView, true);
  assert.equal(config.filmstripDisabled, true);
  assert.equal(config.hideLobbyButton, true);
  assert.equal(config.hideAddBreakoutRoomButton, true);
  assert.equal(config.participantsPaneEnabled, false);
  assert.deepEqual(apply(`#config.notifications=${json([])}`).notifications, [], 'an empty list: no notices');
  assert.equal(apply(`#config.notifications=${json('notify.raisedHand')}`).notifications, undefined);
});

test('keys for what Tertulia already always does are accepted and change nothing', () => {
  const hash = ['disableDeepLinking', 'disableJoinLeaveSounds', 'toolbarConfig.alwaysVisible', 'lobby.autoKnock', 'enableClosePage'];
  for (const key of hash) {
    assert.ok(OVERRIDABLE_KEYS.includes(`config.${key}`), key);
    assert.deepEqual(apply(`#config.${key}=true`), DEFAULT_CONFIG, key);
  }
});

test('an avatar must be an https or data:image URL (what the CSP lets the page show)', () => {
  assert.equal(apply(`#userInfo.avatarURL=${json('https://cdn.example.org/ana.png')}`).avatarUrl, 'https://cdn.example.org/ana.png');
  assert.equal(apply(`#userInfo.avatarURL=${json('data:image/png;base64,iVBORw0KGgo=')}`).avatarUrl, 'data:image/png;base64,iVBORw0KGgo=');
  for (const bad of ['http://cdn.example.org/a.png', 'javascript:alert(1)', 'data:text/html;base64,PGI+', 'https://a b']) {
    assert.equal(apply(`#userInfo.avatarURL=${json(bad)}`).avatarUrl, undefined, bad);
  }
});

test('security-relevant keys are refused: never in the whitelist, and sending them changes nothing', () => {
  for (const key of Object.keys(SERVER_ONLY_KEYS)) {
    assert.ok(!OVERRIDABLE_KEYS.includes(key), key);
    assert.deepEqual(apply(`#${key}=false`), DEFAULT_CONFIG, key);
    assert.deepEqual(apply(`#${key}=true`), DEFAULT_CONFIG, key);
  }
  // The nested form the iframe API sends (configOverwrite: { lobby: { enabled: false } }) is refused the same way.
  assert.deepEqual(apply(`#config.lobby=${json({ enabled: false })}`), DEFAULT_CONFIG);
});

test('channelLastN, startLastN and startAudioOnly are taken with their Jitsi names; a last-N that is not a whole number from -1 is ignored', () => {
  const config = apply('#config.channelLastN=2&config.startLastN=1&config.startAudioOnly=true');
  assert.equal(config.channelLastN, 2);
  assert.equal(config.startLastN, 1);
  assert.equal(config.startAudioOnly, true);
  assert.equal(DEFAULT_CONFIG.channelLastN, -1, 'default: every video');
  for (const bad of ['-2', '1.5', '"3"', '100000']) assert.equal(apply(`#config.channelLastN=${bad}`).channelLastN, -1, bad);
  assert.equal(apply('#config.startAudioOnly="yes"').startAudioOnly, false);
});
