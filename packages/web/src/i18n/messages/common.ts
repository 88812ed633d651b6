import { defineMessages } from '../define.js';

/** Words used across the interface. */
export const common = defineMessages({
  en: {
    'common.close': 'Close',
    'common.cancel': 'Cancel',
    'common.language': 'Language',
    'common.guest': 'Guest',
    'common.you': 'You',
  },
  es: {
    'common.close': 'Cerrar',
    'common.cancel': 'Cancelar',
    'common.language': 'Idioma',
    'common.guest': 'Invitado',
    'common.you': 'Tú',
  },
  it: {
    'common.close': 'Chiudi',
    'common.cancel': 'Annulla',
    'common.language': 'Lingua',
    'common.guest': 'Ospite',
    'common.you': 'Tu',
  },
});
