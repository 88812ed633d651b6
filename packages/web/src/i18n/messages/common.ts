import { defineMessages } from '../define.js';

/** Words used across the interface. */
export const common = defineMessages({
  en: {
    'common.close': 'Close',
    'common.cancel': 'Cancel',
    'common.language': 'Language',
  },
  es: {
    'common.close': 'Cerrar',
    'common.cancel': 'Cancelar',
    'common.language': 'Idioma',
  },
  it: {
    'common.close': 'Chiudi',
    'common.cancel': 'Annulla',
    'common.language': 'Lingua',
  },
});
