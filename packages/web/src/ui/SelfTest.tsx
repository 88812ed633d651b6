import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../i18n/error-text.js';
import { say, useI18n } from '../i18n/i18n.js';
import type { Language } from '../i18n/languages.js';
import { CHECK_TITLES, runConnectivityTest, type CheckStatus, type SelfTestReport } from '../selftest/connectivity-test.js';
import { LogoIcon } from './icons.js';
import { LanguagePicker } from './LanguagePicker.js';

const MARKS: Record<CheckStatus, string> = { waiting: '·', running: '…', ok: '✓', failed: '✗', skipped: '–' };
const PATHS = { udp: 'selftest.pathUdp', tcp: 'selftest.pathTcp', relay: 'selftest.pathRelay', none: 'selftest.pathNone' } as const;

/** "12 ms", written the language's way. */
function milliseconds(ms: number, language: Language): string {
  return new Intl.NumberFormat(language, { style: 'unit', unit: 'millisecond', unitDisplay: 'short' }).format(ms);
}

interface PanelProps {
  /** Start at once (the /selftest page) rather than on a click (the prejoin). */
  autoStart?: boolean;
}

/** Runs the connectivity self-test and shows each check, then what it means and what to fix. */
export function SelfTestPanel({ autoStart = false }: PanelProps) {
  const { t, language } = useI18n();
  const [report, setReport] = useState<SelfTestReport | undefined>(undefined);
  const running = useRef(false);

  const start = () => {
    if (running.current) return;
    running.current = true;
    setReport(undefined);
    runConnectivityTest(setReport)
      .catch((error: unknown) =>
        setReport({ checks: [], done: true, verdict: { path: 'none', summary: { key: 'selftest.couldNotRun', params: { detail: describeError(error) } }, advice: [] } }),
      )
      .finally(() => (running.current = false));
  };

  useEffect(() => {
    if (autoStart) start();
  }, []);

  if (!report) {
    return (
      <div class="selftest" data-testid="selftest">
        {autoStart ? (
          <p class="card__text">{t('selftest.starting')}</p>
        ) : (
          <button type="button" class="button button--small" data-testid="selftest-start" onClick={start}>
            {t('selftest.start')}
          </button>
        )}
      </div>
    );
  }
  const { verdict } = report;
  return (
    <div class="selftest" data-testid="selftest" data-done={report.done ? 'true' : 'false'} data-path={verdict?.path}>
      <ul class="selftest__checks">
        {report.checks.map((check) => (
          <li key={check.id} class={`selftest__check selftest__check--${check.status}`} data-testid={`check-${check.id}`} data-status={check.status}>
            <span class="selftest__mark" aria-hidden="true">
              {MARKS[check.status]}
            </span>
            <span class="selftest__name">{t(CHECK_TITLES[check.id])}</span>
            <span class="selftest__detail">
              {check.detail.map(say).join('; ')}
              {check.ms !== undefined && check.status === 'ok' ? ` (${milliseconds(check.ms, language)})` : ''}
            </span>
          </li>
        ))}
      </ul>
      {verdict && (
        <div class={`selftest__verdict selftest__verdict--${verdict.path}`} role="status" data-testid="selftest-verdict">
          <p class="selftest__path">
            <strong>{t(PATHS[verdict.path])}.</strong> {say(verdict.summary)}
          </p>
          {verdict.advice.length > 0 && (
            <>
              <p class="selftest__advice-title">{t('selftest.forAdmin')}</p>
              <ul class="selftest__advice" data-testid="selftest-advice">
                {verdict.advice.map(say).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {report.done && (
        <button type="button" class="button button--small" data-testid="selftest-again" onClick={start}>
          {t('selftest.again')}
        </button>
      )}
    </div>
  );
}

/** /selftest: the same checks as a page of its own, to send to someone who cannot get into meetings. */
export function SelfTestPage() {
  const { t, language } = useI18n();
  useEffect(() => {
    document.title = `${t('selftest.title')} · Tertulia`;
  }, [language]);
  return (
    <main class="page">
      <div class="card card--narrow selftest-page">
        <LogoIcon />
        <h1 class="card__title">{t('selftest.title')}</h1>
        <p class="card__text">{t('selftest.intro')}</p>
        <SelfTestPanel autoStart />
        <LanguagePicker compact />
      </div>
    </main>
  );
}
