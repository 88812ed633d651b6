import { useEffect, useRef, useState } from 'preact/hooks';
import { runConnectivityTest, type CheckStatus, type SelfTestReport } from '../selftest/connectivity-test.js';
import { LogoIcon } from './icons.js';

const MARKS: Record<CheckStatus, string> = { waiting: '·', running: '…', ok: '✓', failed: '✗', skipped: '–' };
const PATHS = { udp: 'Direct over UDP', tcp: 'Direct over TCP', relay: 'Through the TURN relay', none: 'No media path' } as const;

interface PanelProps {
  /** Start at once (the /selftest page) rather than on a click (the prejoin). */
  autoStart?: boolean;
}

/** Runs the connectivity self-test and shows each check, then what it means and what to fix. */
export function SelfTestPanel({ autoStart = false }: PanelProps) {
  const [report, setReport] = useState<SelfTestReport | undefined>(undefined);
  const running = useRef(false);

  const start = () => {
    if (running.current) return;
    running.current = true;
    setReport(undefined);
    runConnectivityTest(setReport)
      .catch((error: unknown) =>
        setReport({ checks: [], done: true, verdict: { path: 'none', summary: `The test could not run: ${error instanceof Error ? error.message : String(error)}`, advice: [] } }),
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
          <p class="card__text">Starting…</p>
        ) : (
          <button type="button" class="button button--small" data-testid="selftest-start" onClick={start}>
            Test my connection
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
            <span class="selftest__name">{check.title}</span>
            <span class="selftest__detail">
              {check.detail}
              {check.ms !== undefined && check.status === 'ok' ? ` (${check.ms} ms)` : ''}
            </span>
          </li>
        ))}
      </ul>
      {verdict && (
        <div class={`selftest__verdict selftest__verdict--${verdict.path}`} role="status" data-testid="selftest-verdict">
          <p class="selftest__path">
            <strong>{PATHS[verdict.path]}.</strong> {verdict.summary}
          </p>
          {verdict.advice.length > 0 && (
            <>
              <p class="selftest__advice-title">For the administrator:</p>
              <ul class="selftest__advice" data-testid="selftest-advice">
                {verdict.advice.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {report.done && (
        <button type="button" class="button button--small" data-testid="selftest-again" onClick={start}>
          Test again
        </button>
      )}
    </div>
  );
}

/** /selftest: the same checks as a page of its own, to send to someone who cannot get into meetings. */
export function SelfTestPage() {
  useEffect(() => {
    document.title = 'Connection test · Tertulia';
  }, []);
  return (
    <main class="page">
      <div class="card card--narrow selftest-page">
        <LogoIcon />
        <h1 class="card__title">Connection test</h1>
        <p class="card__text">Checks whether this browser, on this network, can reach the meeting server for signalling and for audio and video.</p>
        <SelfTestPanel autoStart />
      </div>
    </main>
  );
}
