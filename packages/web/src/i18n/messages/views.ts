import { defineMessages } from '../define.js';

/** Tile view, stage view, pinning and "follow me". */
export const views = defineMessages({
  en: {
    'views.tileView': 'Tile view',
    'views.pin': 'Pin {name}',
    'views.unpin': 'Unpin {name}',
    'views.largeVideo': 'Main video',
    'views.filmstrip': 'Other participants',
    'followMe.title': 'Layout',
    'followMe.toggle': 'Follow me',
    'followMe.hint': 'Everyone sees the layout you choose (tile or stage view, who is pinned) and cannot change their own.',
    'followMe.following': 'Following the moderator’s layout',
    'followMe.locked': 'A moderator has turned on “follow me”: the layout follows theirs.',
  },
  es: {
    'views.tileView': 'Vista en mosaico',
    'views.pin': 'Fijar a {name}',
    'views.unpin': 'Dejar de fijar a {name}',
    'views.largeVideo': 'Vídeo principal',
    'views.filmstrip': 'Otros participantes',
    'followMe.title': 'Diseño',
    'followMe.toggle': 'Sígueme',
    'followMe.hint': 'Todos ven el diseño que elijas (mosaico o escenario, a quién fijas) y no pueden cambiar el suyo.',
    'followMe.following': 'Siguiendo el diseño del moderador',
    'followMe.locked': 'Un moderador ha activado «sígueme»: el diseño sigue al suyo.',
  },
  it: {
    'views.tileView': 'Vista a griglia',
    'views.pin': 'Fissa {name}',
    'views.unpin': 'Sblocca {name}',
    'views.largeVideo': 'Video principale',
    'views.filmstrip': 'Altri partecipanti',
    'followMe.title': 'Disposizione',
    'followMe.toggle': 'Seguimi',
    'followMe.hint': 'Tutti vedono la disposizione che scegli (griglia o palco, chi è fissato) e non possono cambiare la propria.',
    'followMe.following': 'Stai seguendo la disposizione del moderatore',
    'followMe.locked': 'Un moderatore ha attivato «seguimi»: la disposizione segue la sua.',
  },
});
