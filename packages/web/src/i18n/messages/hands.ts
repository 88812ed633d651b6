import { defineMessages } from '../define.js';

/** Raised hands: the toolbar toggle, the queue badge on tiles, the notice, the moderator's "Lower hand". */
export const hands = defineMessages({
  en: {
    'hands.raise': 'Raise hand',
    'hands.lower': 'Lower hand',
    'hands.badge': 'Hand raised, number {position} in the queue',
    'hands.raised': '{name} raised a hand',
    'hands.someone': 'Someone',
  },
  es: {
    'hands.raise': 'Levantar la mano',
    'hands.lower': 'Bajar la mano',
    'hands.badge': 'Mano levantada, turno {position} en la cola',
    'hands.raised': '{name} levantó la mano',
    'hands.someone': 'Alguien',
  },
  it: {
    'hands.raise': 'Alza la mano',
    'hands.lower': 'Abbassa la mano',
    'hands.badge': 'Mano alzata, numero {position} in coda',
    'hands.raised': '{name} ha alzato la mano',
    'hands.someone': 'Qualcuno',
  },
});
