import { useEffect, useState } from 'preact/hooks';
import { Emitter } from '../conference/emitter.js';
import { DEFAULT_CONFIG, type ClientConfig } from './client-config.js';

/**
 * The page's config once read from its URL hash, and as the iframe API's
 * `overwriteConfig` changes it later: presentation settings (which toolbar buttons,
 * the header's subject and timer, …) are read where they show instead of being
 * handed down through every component between.
 */
class PageConfig extends Emitter<{ change: [config: ClientConfig] }> {
  #current: ClientConfig = DEFAULT_CONFIG;

  get current(): ClientConfig {
    return this.#current;
  }

  set(config: ClientConfig): void {
    this.#current = config;
    this.emit('change', config);
  }
}

const page = new PageConfig();

export function setPageConfig(config: ClientConfig): void {
  page.set(config);
}

export function pageConfig(): ClientConfig {
  return page.current;
}

/** The page's config, re-rendering when it changes (those reading pageConfig() below re-read it then). */
export function usePageConfig(): ClientConfig {
  const [config, setConfig] = useState(page.current);
  useEffect(() => page.on('change', setConfig), []);
  return config;
}
