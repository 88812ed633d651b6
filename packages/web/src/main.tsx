import './zod-jitless.js';
import { checkRoomName } from '@tertulia/protocol';
import { render, type VNode } from 'preact';
import { Conference } from './conference/conference.js';
import { applyOverrides, DEFAULT_CONFIG, parseHashParams, type ClientConfig } from './config/client-config.js';
import { setPageConfig } from './config/page-config.js';
import { startIframeBridge } from './embed/iframe-bridge.js';
import { setLanguage } from './i18n/i18n.js';
import { LanguageRoot } from './i18n/LanguageRoot.js';
import { InvalidRoom } from './ui/InvalidRoom.js';
import { Room } from './ui/Room.js';
import { SelfTestPage } from './ui/SelfTest.js';
import { followAvatars } from './ui/avatar-urls.js';
import { startVideoQuality } from './ui/video-quality.js';
import { Welcome } from './ui/Welcome.js';
import './ui/styles.css';

declare global {
  interface Window {
    /** The running conference, for end-to-end tests and diagnostics in the console. */
    tertulia?: { conference: Conference };
  }
}

/** The room named by the path's first segment, or undefined on the front page. */
function roomFromPath(pathname: string): string | undefined {
  const segment = pathname.split('/').find((part) => part !== '');
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape still names something; let the room-name check reject it.
    return segment;
  }
}

function start(root: HTMLElement): void {
  const config = applyOverrides(DEFAULT_CONFIG, parseHashParams(location.hash));
  setPageConfig(config);
  // An integrator's language (iframe API `lang`, `#config.defaultLanguage`) holds for this page only.
  if (config.language) setLanguage(config.language, { remember: false });
  render(<LanguageRoot>{pageFor(location.pathname, config)}</LanguageRoot>, root);
}

/** The page this address shows; a meeting also gets its Conference and the iframe bridge. */
function pageFor(pathname: string, config: ClientConfig): VNode {
  const raw = roomFromPath(pathname);
  if (raw === undefined) return <Welcome />;
  if (raw.toLowerCase() === 'selftest') return <SelfTestPage />;
  const check = checkRoomName(raw);
  if (!check.ok) return <InvalidRoom problem={check.problem} name={raw} />;
  const conference = new Conference(check.display);
  if (config.e2eeExternallyManagedKey) conference.useExternallyManagedKeys();
  window.tertulia = { conference };
  followAvatars(conference);
  startVideoQuality(conference, config);
  startIframeBridge(conference, config);
  return <Room room={check.display} conference={conference} config={config} />;
}

const root = document.getElementById('app');
if (root) start(root);
