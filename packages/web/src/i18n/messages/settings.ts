import { defineMessages } from '../define.js';

/** The settings panel and the device lists (also on the prejoin). */
export const settings = defineMessages({
  en: {
    'settings.title': 'Settings',
    'settings.close': 'Close settings',
    'settings.cameraHint': 'The camera you pick is used when you turn it on.',
    'settings.microphone': 'Microphone',
    'settings.camera': 'Camera',
    'settings.noMicrophone': 'No microphone found',
    'settings.noCamera': 'No camera found',
    'settings.microphoneNumber': 'Microphone {number}',
    'settings.cameraNumber': 'Camera {number}',
  },
  es: {
    'settings.title': 'Ajustes',
    'settings.close': 'Cerrar ajustes',
    'settings.cameraHint': 'La cámara que elijas se usará cuando la enciendas.',
    'settings.microphone': 'Micrófono',
    'settings.camera': 'Cámara',
    'settings.noMicrophone': 'No se encontró ningún micrófono',
    'settings.noCamera': 'No se encontró ninguna cámara',
    'settings.microphoneNumber': 'Micrófono {number}',
    'settings.cameraNumber': 'Cámara {number}',
  },
  it: {
    'settings.title': 'Impostazioni',
    'settings.close': 'Chiudi impostazioni',
    'settings.cameraHint': 'La videocamera che scegli verrà usata quando la accendi.',
    'settings.microphone': 'Microfono',
    'settings.camera': 'Videocamera',
    'settings.noMicrophone': 'Nessun microfono trovato',
    'settings.noCamera': 'Nessuna videocamera trovata',
    'settings.microphoneNumber': 'Microfono {number}',
    'settings.cameraNumber': 'Videocamera {number}',
  },
});
