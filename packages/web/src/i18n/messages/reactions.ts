import { defineMessages } from '../define.js';

/** Emoji reactions: the toolbar menu, each reaction's name, what floats over a tile, refusals. */
export const reactions = defineMessages({
  en: {
    'reactions.open': 'Send a reaction',
    'reactions.menu': 'Reactions',
    'reactions.like': 'Thumbs up',
    'reactions.love': 'Heart',
    'reactions.clap': 'Applause',
    'reactions.laugh': 'Laughter',
    'reactions.surprised': 'Surprise',
    'reactions.boo': 'Boo',
    'reactions.from': '{name}: {reaction}',
    'reactions.tooFast': 'Too many reactions at once; wait a moment.',
    'reactions.muted': 'A moderator has turned off your reactions.',
  },
  es: {
    'reactions.open': 'Enviar una reacción',
    'reactions.menu': 'Reacciones',
    'reactions.like': 'Pulgar arriba',
    'reactions.love': 'Corazón',
    'reactions.clap': 'Aplausos',
    'reactions.laugh': 'Risa',
    'reactions.surprised': 'Sorpresa',
    'reactions.boo': 'Abucheo',
    'reactions.from': '{name}: {reaction}',
    'reactions.tooFast': 'Demasiadas reacciones seguidas; espera un momento.',
    'reactions.muted': 'Un moderador ha desactivado tus reacciones.',
  },
  it: {
    'reactions.open': 'Invia una reazione',
    'reactions.menu': 'Reazioni',
    'reactions.like': 'Pollice in su',
    'reactions.love': 'Cuore',
    'reactions.clap': 'Applauso',
    'reactions.laugh': 'Risata',
    'reactions.surprised': 'Stupore',
    'reactions.boo': 'Fischi',
    'reactions.from': '{name}: {reaction}',
    'reactions.tooFast': 'Troppe reazioni di fila; aspetta un momento.',
    'reactions.muted': 'Un moderatore ha disattivato le tue reazioni.',
  },
});
