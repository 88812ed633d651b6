/** One line of `tertulia doctor`: what was checked, how it went, and for a problem what to do about it. */
export interface CheckResult {
  check: string;
  status: 'ok' | 'warning' | 'problem' | 'skipped';
  message: string;
  /** What to do, one step a line (commands where there is one). */
  fix?: string[];
}

export const ok = (check: string, message: string): CheckResult => ({ check, status: 'ok', message });
export const warning = (check: string, message: string, fix?: string[]): CheckResult => ({ check, status: 'warning', message, ...(fix ? { fix } : {}) });
export const problem = (check: string, message: string, fix: string[]): CheckResult => ({ check, status: 'problem', message, fix });
export const skipped = (check: string, message: string): CheckResult => ({ check, status: 'skipped', message });
