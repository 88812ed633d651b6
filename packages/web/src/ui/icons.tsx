import type { ComponentChildren } from 'preact';

/** Small stroke icons drawn for Tertulia; decorative, so hidden from screen readers. */
function Icon({ children, filled = false }: { children: ComponentChildren; filled?: boolean }) {
  return (
    <svg
      class="icon"
      viewBox="0 0 24 24"
      width="24"
      height="24"
      aria-hidden="true"
      focusable="false"
      fill={filled ? 'currentColor' : 'none'}
      stroke={filled ? 'none' : 'currentColor'}
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      {children}
    </svg>
  );
}

const Slash = () => <path d="M3 3l18 18" />;

export const MicIcon = ({ off = false }: { off?: boolean }) => (
  <Icon>
    <rect x="9" y="2.5" width="6" height="11.5" rx="3" />
    <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7" />
    {off && <Slash />}
  </Icon>
);

export const CameraIcon = ({ off = false }: { off?: boolean }) => (
  <Icon>
    <rect x="2.5" y="6" width="13" height="12" rx="2.5" />
    <path d="M15.5 10.5l6-3.5v10l-6-3.5z" />
    {off && <Slash />}
  </Icon>
);

export const ScreenIcon = () => (
  <Icon>
    <rect x="2.5" y="4" width="19" height="13" rx="2" />
    <path d="M8 21h8M12 17v4M12 13.5V8M9.5 10.5 12 8l2.5 2.5" />
  </Icon>
);

export const SettingsIcon = () => (
  <Icon>
    <path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1" />
    <circle cx="15" cy="6" r="2" />
    <circle cx="9" cy="12" r="2" />
    <circle cx="17" cy="18" r="2" />
  </Icon>
);

export const HangUpIcon = () => (
  <Icon filled>
    <path transform="translate(-2.4 -2.7) scale(1.2)" d="M2.6 14.6c-.1-1 .3-1.9 1.1-2.4C6.2 10.8 9 10 12 10s5.8.8 8.3 2.2c.8.5 1.2 1.4 1.1 2.4l-.2 1.6a1.2 1.2 0 0 1-1.4 1l-3-.5a1.2 1.2 0 0 1-1-1.1l-.2-1.9a11 11 0 0 0-7.2 0l-.2 1.9a1.2 1.2 0 0 1-1 1.1l-3 .5a1.2 1.2 0 0 1-1.4-1z" />
  </Icon>
);

export const PeopleIcon = () => (
  <Icon>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20c0-3.6 2.9-6.5 6.5-6.5s6.5 2.9 6.5 6.5" />
    <path d="M16 4.8a3.3 3.3 0 0 1 0 6.4M17.5 14c2.4.7 4 2.9 4 5.5" />
  </Icon>
);

export const PersonIcon = () => (
  <Icon>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8" />
  </Icon>
);

export const RefreshIcon = () => (
  <Icon>
    <path d="M20 12a8 8 0 1 1-2.4-5.7L20 8.5M20 3.5v5h-5" />
  </Icon>
);

export const CloseIcon = () => (
  <Icon>
    <path d="M6 6l12 12M18 6 6 18" />
  </Icon>
);

export const LogoIcon = () => (
  <svg class="logo" viewBox="0 0 32 32" width="40" height="40" aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="9" fill="#3b7bf6" />
    <path d="M7 11a3 3 0 0 1 3-3h8a3 3 0 0 1 3 3v10a3 3 0 0 1-3 3h-8a3 3 0 0 1-3-3zm15 3 4-3v10l-4-3z" fill="#fff" />
  </svg>
);

export const ChatIcon = () => (
  <Icon>
    <path d="M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4A2.5 2.5 0 0 1 4 13.5z" />
  </Icon>
);

export const SendIcon = () => (
  <Icon>
    <path d="M4 12l16-8-6 16-2.5-6.5z" />
  </Icon>
);

export const ShieldIcon = () => (
  <Icon>
    <path d="M12 2.5 4.5 5.5v6c0 4.6 3.2 8.5 7.5 10 4.3-1.5 7.5-5.4 7.5-10v-6z" />
    <path d="M8.8 12.2l2.2 2.2 4.2-4.4" />
  </Icon>
);

export const StarIcon = () => (
  <Icon filled>
    <path d="M12 2.8l2.8 5.8 6.3.8-4.6 4.4 1.2 6.3L12 17l-5.7 3.1 1.2-6.3-4.6-4.4 6.3-.8z" />
  </Icon>
);

export const LockIcon = () => (
  <Icon>
    <rect x="4.5" y="10.5" width="15" height="10.5" rx="2.5" />
    <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3M12 14.5v2.5" />
  </Icon>
);

export const MoreIcon = () => (
  <Icon filled>
    <circle cx="12" cy="5.5" r="2" />
    <circle cx="12" cy="12" r="2" />
    <circle cx="12" cy="18.5" r="2" />
  </Icon>
);

export const HandIcon = () => (
  <Icon>
    <path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V11M11 10.5v-6a1.5 1.5 0 0 1 3 0v6M14 10.5V6a1.5 1.5 0 0 1 3 0v7.5a7 7 0 0 1-7 7h-.6a6 6 0 0 1-4.6-2.2L2.6 15.5a1.5 1.5 0 0 1 2.2-2l3.2 2.5" />
  </Icon>
);

export const UserRemoveIcon = () => (
  <Icon>
    <circle cx="10" cy="8" r="4" />
    <path d="M2.5 21c0-4.1 3.4-7.5 7.5-7.5 1.5 0 2.9.4 4 1.2M16 16l5 5M21 16l-5 5" />
  </Icon>
);

export const PollIcon = () => (
  <Icon>
    <path d="M4 6h9M4 12h15M4 18h6" />
    <path d="M17 4.5l1.5 1.5 2.5-3" />
  </Icon>
);

export const StatsIcon = () => (
  <Icon>
    <path d="M4 20V10M10 20V4M16 20v-7M21 20H3" />
  </Icon>
);

export const PinIcon = () => (
  <Icon>
    <path d="M9 3.5h6M10 3.5v6l-3.5 4h11L14 9.5v-6M12 13.5V21" />
  </Icon>
);

export const TileViewIcon = () => (
  <Icon>
    <rect x="3" y="4" width="7.5" height="7" rx="1.5" />
    <rect x="13.5" y="4" width="7.5" height="7" rx="1.5" />
    <rect x="3" y="13" width="7.5" height="7" rx="1.5" />
    <rect x="13.5" y="13" width="7.5" height="7" rx="1.5" />
  </Icon>
);

export const SmileIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 14a4.5 4.5 0 0 0 8 0M9 9.5h.01M15 9.5h.01" />
  </Icon>
);

export const BreakoutIcon = () => (
  <Icon>
    <rect x="3" y="3" width="8" height="8" rx="1.5" />
    <rect x="13" y="13" width="8" height="8" rx="1.5" />
    <path d="M15 3h4.5a1.5 1.5 0 0 1 1.5 1.5V9M9 21H4.5A1.5 1.5 0 0 1 3 19.5V15" />
  </Icon>
);

/** A filled dot in a ring: recording. */
export const RecordIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="9" />
    <circle cx="12" cy="12" r="4" fill="currentColor" />
  </Icon>
);

/** Waves either side of a dot: broadcasting live. */
export const LiveIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="2" />
    <path d="M8.5 8.5a5 5 0 0 0 0 7M15.5 8.5a5 5 0 0 1 0 7M5.6 5.6a9 9 0 0 0 0 12.8M18.4 5.6a9 9 0 0 1 0 12.8" />
  </Icon>
);

/** A screen with a dot: recorded on this device. */
export const DeviceRecordIcon = () => (
  <Icon>
    <rect x="2.5" y="4" width="19" height="13" rx="2" />
    <path d="M8 21h8M12 17v4" />
    <circle cx="12" cy="10.5" r="2.5" fill="currentColor" />
  </Icon>
);
