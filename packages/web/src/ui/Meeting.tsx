import { useCallback, useRef } from 'preact/hooks';
import type { Conference, CredentialPrompt } from '../conference/conference.js';
import { Call } from './Call.js';
import { ConferenceError } from './ConferenceError.js';
import { ConnectionQualityProvider } from './ConnectionIndicator.js';
import { CredentialDialog, type Credentials } from './CredentialDialog.js';
import { FloatingReactions } from './FloatingReactions.js';
import { useHandNotices } from './use-hand-notices.js';
import { LeftPage } from './LeftPage.js';
import { Notices } from './Notices.js';
import { useConferenceState, useNotices } from './use-conference.js';
import { WaitingPage } from './WaitingPage.js';

interface Props {
  conference: Conference;
  /** The name this person joined with, shown until the server confirms it. */
  displayName: string;
  subject: string | undefined;
}

/**
 * Picks the screen for where the person is: a login or password dialog,
 * waiting for a host or in the lobby, the call itself (also while joining and
 * reconnecting), or the page after leaving or failing.
 */
export function Meeting({ conference, displayName, subject }: Props) {
  const state = useConferenceState(conference);
  const { notices, push, dismiss } = useNotices(conference);
  useHandNotices(conference, push);
  const leave = useCallback(() => void conference.leave().catch(() => undefined), [conference]);
  // Rejections come back as a new prompt or a failure in the state.
  const submit = useCallback((credentials: Credentials) => void conference.submitCredentials(credentials).catch(() => undefined), [conference]);

  // The dialog stays up while its answer is checked, instead of flashing the call in between.
  const asked = useRef<CredentialPrompt | undefined>(undefined);
  if (state.prompt) asked.current = state.prompt;
  else if (state.connection !== 'connecting') asked.current = undefined;
  const prompt = state.prompt ?? asked.current;

  const { connection } = state;
  if (connection === 'left') return <LeftPage room={state.roomName} reason={state.leftReason ?? 'left'} />;
  if (connection === 'failed') return <ConferenceError error={state.error} />;

  if (prompt) {
    return (
      <>
        <CredentialDialog
          key={prompt.kind}
          kind={prompt.kind}
          room={state.roomName}
          error={state.prompt?.error}
          busy={state.prompt === undefined}
          onSubmit={submit}
          onCancel={leave}
        />
        <Notices notices={notices} onDismiss={dismiss} />
      </>
    );
  }

  if (connection === 'waiting') {
    return (
      <>
        <WaitingPage reason={state.waitingFor ?? 'lobby'} room={state.roomName} onLeave={leave} />
        <Notices notices={notices} onDismiss={dismiss} />
      </>
    );
  }

  return (
    <ConnectionQualityProvider conference={conference}>
      <FloatingReactions conference={conference}>
        <Call conference={conference} state={state} displayName={displayName} subject={subject} notices={notices} push={push} dismiss={dismiss} />
      </FloatingReactions>
    </ConnectionQualityProvider>
  );
}
