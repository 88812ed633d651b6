/** Server-rendered pages for the few cases the web client cannot handle itself. */
import { createHash } from 'node:crypto';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const INVALID_ROOM_STYLE = `body{font-family:system-ui,sans-serif;background:#14161a;color:#e8e8e8;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:32rem;padding:2rem}h1{font-size:1.4rem}a{color:#7cc4ff}code{background:#262a31;padding:.1rem .3rem;border-radius:4px}`;

/** CSP hashes of these pages' inline <style> blocks, so the policy allows exactly them. */
export const pageStyleHashes = [INVALID_ROOM_STYLE].map((style) => `sha256-${createHash('sha256').update(style).digest('base64')}`);

/** Shown for a room URL that is not a valid room name. */
export function invalidRoomPage(name: string, reason: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Invalid room name · Tertulia</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${INVALID_ROOM_STYLE}</style></head>
<body><main><h1>“${escapeHtml(name)}” cannot be a room name</h1>
<p>${escapeHtml(reason)}</p>
<p><a href="/">Start a meeting with a suggested name</a></p></main></body></html>`;
}
