import { defineMessages } from '../define.js';

/** Words used across the interface. */
export const common = defineMessages({
  en: {
    'common.selfName': '{name} (you)',
    'common.cancel': 'Cancel',
    'common.language': 'Language',
    'common.guest': 'Guest',
    'common.you': 'You',
  },
  es: {
    'common.selfName': '{name} (tú)',
    'common.cancel': 'Cancelar',
    'common.language': 'Idioma',
    'common.guest': 'Invitado',
    'common.you': 'Tú',
  },
  it: {
    'common.selfName': '{name} (tu)',
    'common.cancel': 'Annulla',
    'common.language': 'Lingua',
    'common.guest': 'Ospite',
    'common.you': 'Tu',
  },
});
