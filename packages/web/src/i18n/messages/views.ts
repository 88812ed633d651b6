import { defineMessages } from '../define.js';

/** Tile view, stage view and pinning. */
export const views = defineMessages({
  en: {
    'views.tileView': 'Tile view',
    'views.pin': 'Pin {name}',
    'views.unpin': 'Unpin {name}',
    'views.largeVideo': 'Main video',
    'views.filmstrip': 'Other participants',
  },
  es: {
    'views.tileView': 'Vista en mosaico',
    'views.pin': 'Fijar a {name}',
    'views.unpin': 'Dejar de fijar a {name}',
    'views.largeVideo': 'Vídeo principal',
    'views.filmstrip': 'Otros participantes',
  },
  it: {
    'views.tileView': 'Vista a griglia',
    'views.pin': 'Fissa {name}',
    'views.unpin': 'Sblocca {name}',
    'views.largeVideo': 'Video principale',
    'views.filmstrip': 'Altri partecipanti',
  },
});
