import type { CommandName, EventName, RequestName } from '@tertulia/iframe-api/wire';
import type { Conference } from '../conference/conference.js';
import { avatarUrlOf, type ClientConfig } from '../config/client-config.js';
import { pageConfig } from '../config/page-config.js';
import { avatarChanges, avatarUrlFor, setAvatarUrl } from '../ui/avatar-urls.js';
import { text } from './command-args.js';
import type { Handler } from './iframe-bridge.js';

type Emit = (name: EventName, data?: Record<string, unknown>) => void;
type ProfileCommand = Extract<CommandName, 'displayName' | 'avatarUrl' | 'email'>;
type ProfileRequest = Extract<RequestName, 'getSessionId'>;

/** A sleep longer than this between two ticks is a suspended computer, not a busy one. */
const SUSPEND_TICK_MS = 5_000;
const SUSPEND_GAP_MS = 30_000;

/** Set at start. An email (`email`) is only told to the host page: Tertulia sends it to nobody. */
const profile: { emit: Emit } = { emit: () => undefined };

/** Who this person is, as the embedding page sets it: name (unless the page's config has `readOnlyName`), picture and email. */
export const PROFILE_COMMANDS: Record<ProfileCommand, Handler<void>> = {
  displayName: (conference, [name]) => {
    if (pageConfig().readOnlyName) throw new Error('the display name is read-only here (readOnlyName)');
    return conference.setDisplayName(text(name, 'a display name'));
  },
  avatarUrl: (conference, [url]) => {
    const self = conference.state.self;
    if (!self) throw new Error('not in the meeting yet');
    const picture = avatarUrlOf(url);
    if (picture === undefined && url !== '') throw new Error('expected an https: or data:image URL (or "" for initials)');
    setAvatarUrl(self.id, picture);
    return conference.setAvatarUrl(picture);
  },
  email: (conference, [email]) => {
    const value = text(email, 'an email address');
    if (value.length > 256) throw new Error('expected an email address of at most 256 characters');
    profile.emit('emailChange', { id: conference.state.self?.id, email: value });
  },
};

/** Jitsi's session id: this meeting's, so two meetings in the same room over time differ. */
export const PROFILE_REQUESTS: Record<ProfileRequest, Handler<string | undefined>> = {
  getSessionId: ({ state }) => (state.startedAt === undefined ? undefined : `${state.roomName}@${state.startedAt}`),
};

/** Takes the page's profile settings, and emits avatarChanged, emailChange, browserSupport (once, at start) and suspendDetected. */
export function forwardProfileEvents(conference: Conference, config: ClientConfig, emit: Emit): void {
  profile.emit = emit;
  conference.on('joined', (self) => {
    // A picture from the token (or set before a reconnect) is already the server's.
    if (config.avatarUrl === undefined || self.avatarUrl !== undefined) return;
    setAvatarUrl(self.id, config.avatarUrl);
    void conference.setAvatarUrl(config.avatarUrl).catch(() => undefined);
  });
  avatarChanges.on('change', (id) => emit('avatarChanged', { id, avatarURL: avatarUrlFor(id) ?? '' }));
  emit('browserSupport', { supported: typeof RTCPeerConnection === 'function' && typeof navigator.mediaDevices?.getUserMedia === 'function' });
  let last = Date.now();
  setInterval(() => {
    const now = Date.now();
    if (now - last > SUSPEND_GAP_MS) emit('suspendDetected');
    last = now;
  }, SUSPEND_TICK_MS);
}
