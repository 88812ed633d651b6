import { defineMessages } from '../define.js';

/** Speaker stats: the toolbar button and the dialog with everyone's talk time. */
export const speakerStats = defineMessages({
  en: {
    'speakerStats.button': 'Speaker stats',
    'speakerStats.title': 'Speaker stats',
    'speakerStats.close': 'Close speaker stats',
    'speakerStats.name': 'Name',
    'speakerStats.time': 'Talk time',
    'speakerStats.speakingNow': 'speaking now',
    'speakerStats.left': 'left',
    'speakerStats.loading': 'Loading…',
    'speakerStats.failed': 'Could not load the speaker stats: {message}',
  },
  es: {
    'speakerStats.button': 'Estadísticas de participación',
    'speakerStats.title': 'Estadísticas de participación',
    'speakerStats.close': 'Cerrar las estadísticas de participación',
    'speakerStats.name': 'Nombre',
    'speakerStats.time': 'Tiempo hablando',
    'speakerStats.speakingNow': 'hablando ahora',
    'speakerStats.left': 'se fue',
    'speakerStats.loading': 'Cargando…',
    'speakerStats.failed': 'No se pudieron cargar las estadísticas: {message}',
  },
  it: {
    'speakerStats.button': 'Statistiche degli interventi',
    'speakerStats.title': 'Statistiche degli interventi',
    'speakerStats.close': 'Chiudi le statistiche degli interventi',
    'speakerStats.name': 'Nome',
    'speakerStats.time': 'Tempo di parola',
    'speakerStats.speakingNow': 'sta parlando',
    'speakerStats.left': 'uscito',
    'speakerStats.loading': 'Caricamento…',
    'speakerStats.failed': 'Impossibile caricare le statistiche: {message}',
  },
});
