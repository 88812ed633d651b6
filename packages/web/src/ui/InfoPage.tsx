import type { ComponentChildren } from 'preact';
import { LogoIcon } from './icons.js';

interface Props {
  title: string;
  testId?: string;
  children: ComponentChildren;
}

/** A centred card for whole-screen messages: left the meeting, could not join, bad room name. */
export function InfoPage({ title, testId, children }: Props) {
  return (
    <main class="page" data-testid={testId}>
      <div class="card card--narrow">
        <LogoIcon />
        <h1 class="card__title">{title}</h1>
        {children}
      </div>
    </main>
  );
}
