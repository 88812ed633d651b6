import { defineMessages } from '../define.js';

/** The meeting's toolbar (the prejoin's mic and camera toggles use the same words). */
export const toolbar = defineMessages({
  en: {
    'toolbar.controls': 'Meeting controls',
    'toolbar.mute': 'Mute microphone',
    'toolbar.cameraOff': 'Turn off camera',
    'toolbar.shareScreen': 'Share screen',
    'toolbar.chat': 'Chat',
    'toolbar.chatUnread': { one: 'Chat, {count} unread', other: 'Chat, {count} unread' },
    'toolbar.moderation': 'Moderation',
    'toolbar.settings': 'Settings',
    'toolbar.leave': 'Leave meeting',
  },
  es: {
    'toolbar.controls': 'Controles de la reunión',
    'toolbar.mute': 'Silenciar micrófono',
    'toolbar.cameraOff': 'Apagar cámara',
    'toolbar.shareScreen': 'Compartir pantalla',
    'toolbar.chat': 'Chat',
    'toolbar.chatUnread': { one: 'Chat, {count} sin leer', other: 'Chat, {count} sin leer' },
    'toolbar.moderation': 'Moderación',
    'toolbar.settings': 'Ajustes',
    'toolbar.leave': 'Salir de la reunión',
  },
  it: {
    'toolbar.controls': 'Controlli della riunione',
    'toolbar.mute': 'Disattiva microfono',
    'toolbar.cameraOff': 'Spegni videocamera',
    'toolbar.shareScreen': 'Condividi schermo',
    'toolbar.chat': 'Chat',
    'toolbar.chatUnread': { one: 'Chat, {count} non letto', other: 'Chat, {count} non letti' },
    'toolbar.moderation': 'Moderazione',
    'toolbar.settings': 'Impostazioni',
    'toolbar.leave': 'Lascia la riunione',
  },
});
