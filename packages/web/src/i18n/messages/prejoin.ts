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
    'prejoin.recorded': 'This meeting is being recorded. By joining, you agree to be recorded.',
    'prejoin.streamed': 'This meeting is being streamed live. By joining, you agree to appear in the stream.',
    'prejoin.recordedAndStreamed': 'This meeting is being recorded and streamed live. By joining, you agree to appear in both.',
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
    'prejoin.recorded': 'Esta reunión se está grabando. Al entrar, aceptas que se te grabe.',
    'prejoin.streamed': 'Esta reunión se está emitiendo en directo. Al entrar, aceptas aparecer en la emisión.',
    'prejoin.recordedAndStreamed': 'Esta reunión se está grabando y emitiendo en directo. Al entrar, aceptas aparecer en ambas.',
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
    'prejoin.recorded': 'Questa riunione viene registrata. Entrando, accetti di essere registrato.',
    'prejoin.streamed': 'Questa riunione è trasmessa in diretta. Entrando, accetti di comparire nella diretta.',
    'prejoin.recordedAndStreamed': 'Questa riunione viene registrata e trasmessa in diretta. Entrando, accetti di comparire in entrambe.',
  },
});
