import { defineMessages } from '../define.js';

/** The video quality setting and what tiles say about video that is not shown. */
export const videoQuality = defineMessages({
  en: {
    'videoQuality.title': 'Video quality',
    'videoQuality.high': 'High (720p)',
    'videoQuality.standard': 'Standard (360p)',
    'videoQuality.low': 'Low (180p)',
    'videoQuality.audioOnly': 'Audio only',
    'videoQuality.hint': 'Lower quality uses less bandwidth. Audio only neither receives nor sends video.',
    'videoQuality.pausedForBandwidth': 'Video paused to save bandwidth',
    'videoQuality.audioOnlyTile': 'Video off: audio only',
  },
  es: {
    'videoQuality.title': 'Calidad de vídeo',
    'videoQuality.high': 'Alta (720p)',
    'videoQuality.standard': 'Estándar (360p)',
    'videoQuality.low': 'Baja (180p)',
    'videoQuality.audioOnly': 'Solo audio',
    'videoQuality.hint': 'Una calidad menor usa menos ancho de banda. Con solo audio no se recibe ni se envía vídeo.',
    'videoQuality.pausedForBandwidth': 'Vídeo en pausa para ahorrar ancho de banda',
    'videoQuality.audioOnlyTile': 'Vídeo desactivado: solo audio',
  },
  it: {
    'videoQuality.title': 'Qualità video',
    'videoQuality.high': 'Alta (720p)',
    'videoQuality.standard': 'Media (360p)',
    'videoQuality.low': 'Bassa (180p)',
    'videoQuality.audioOnly': 'Solo audio',
    'videoQuality.hint': 'Una qualità più bassa usa meno banda. Con solo audio non si riceve né si invia video.',
    'videoQuality.pausedForBandwidth': 'Video in pausa per risparmiare banda',
    'videoQuality.audioOnlyTile': 'Video disattivato: solo audio',
  },
});
