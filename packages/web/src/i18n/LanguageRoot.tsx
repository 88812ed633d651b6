import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { language, LanguageContext, onLanguageChange } from './i18n.js';

/** Wraps the whole page: a language change re-renders every component that uses `useI18n`, without remounting anything. */
export function LanguageRoot({ children }: { children: ComponentChildren }) {
  const [current, setCurrent] = useState(language);
  useEffect(() => {
    document.documentElement.lang = current;
    return onLanguageChange(setCurrent);
  }, []);
  return <LanguageContext.Provider value={current}>{children}</LanguageContext.Provider>;
}
