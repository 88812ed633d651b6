import puppeteer, { type Browser } from 'puppeteer-core';
import { createLocalAddress, type LocalAddress } from './local-address.js';

/**
 * Debian's Firefox ESR, headless, driven through WebDriver BiDi by puppeteer-core, with
 * a fake camera and microphone and no prompts: the second engine the browser tests run.
 */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr',
    headless: true,
    // A first start creates its profile, which takes a while on a loaded machine.
    timeout: 90_000,
    protocolTimeout: 90_000,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.autoplay.default': 0,
    },
  });
}

/** Firefox ESR gathers no loopback ICE candidates (even with `media.peerconnection.ice.loopback`), so the server's media gets this address. */
export const FIREFOX_MEDIA_IP = '10.202.0.1';

export function createFirefoxMediaAddress(): Promise<LocalAddress> {
  return createLocalAddress('tt-ff0', FIREFOX_MEDIA_IP);
}
