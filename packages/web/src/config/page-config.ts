import { DEFAULT_CONFIG, type ClientConfig } from './client-config.js';

/**
 * The page's config once read from its URL hash: presentation settings (which
 * toolbar buttons, the header's subject and timer, …) are read where they show
 * instead of being handed down through every component between.
 */
let current: ClientConfig = DEFAULT_CONFIG;

export function setPageConfig(config: ClientConfig): void {
  current = config;
}

export function pageConfig(): ClientConfig {
  return current;
}
