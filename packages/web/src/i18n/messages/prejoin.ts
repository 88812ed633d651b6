import { defineMessages } from '../define.js';

/** The page before joining: name, camera and microphone check. */
export const prejoin = defineMessages({
  en: {
    'prejoin.cameraOff': 'Camera is off',
    'prejoin.noCamera': 'No camera',
    'prejoin.startingCamera': 'Starting camera…',
    'prejoin.title': 'Ready to join?',
    'prejoin.yourName': 'Your name',
    'prejoin.namePlaceholder': 'How others will see you',
    'prejoin.joinAnyway': 'You can still join without it and pick another device later.',
    'prejoin.join': 'Join meeting',
  },
  es: {
    'prejoin.cameraOff': 'La cámara está apagada',
    'prejoin.noCamera': 'Sin cámara',
    'prejoin.startingCamera': 'Encendiendo la cámara…',
    'prejoin.title': '¿Todo listo para entrar?',
    'prejoin.yourName': 'Tu nombre',
    'prejoin.namePlaceholder': 'Cómo te verán los demás',
    'prejoin.joinAnyway': 'Puedes entrar igualmente y elegir otro dispositivo más tarde.',
    'prejoin.join': 'Entrar en la reunión',
  },
  it: {
    'prejoin.cameraOff': 'La videocamera è spenta',
    'prejoin.noCamera': 'Nessuna videocamera',
    'prejoin.startingCamera': 'Avvio della videocamera…',
    'prejoin.title': 'Tutto pronto per entrare?',
    'prejoin.yourName': 'Il tuo nome',
    'prejoin.namePlaceholder': 'Come ti vedranno gli altri',
    'prejoin.joinAnyway': 'Puoi entrare lo stesso e scegliere un altro dispositivo più tardi.',
    'prejoin.join': 'Entra nella riunione',
  },
});
