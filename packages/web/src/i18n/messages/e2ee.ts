import { defineMessages } from '../define.js';

/** End-to-end encryption: the moderators' switch and the indicator everyone sees. */
export const e2ee = defineMessages({
  en: {
    'e2ee.title': 'End-to-end encryption',
    'e2ee.toggle': 'Encrypt audio and video end to end',
    'e2ee.hint': 'Each browser encrypts what it sends, so the server cannot see or hear it. Everyone’s video restarts, and the server cannot record meanwhile.',
    'e2ee.unsupported': 'This browser cannot encrypt media end to end: use a current Chrome, Edge, Firefox or Safari.',
    'e2ee.indicator': 'E2EE',
    'e2ee.indicatorTitle': 'Audio and video are encrypted end to end: the server cannot see or hear them.',
    'e2ee.participantEncrypted': 'What this person sends reaches you encrypted end to end',
    'e2ee.participantEncryptedCode': 'What this person sends reaches you encrypted end to end. Your security code with them: {code}. If theirs for you is the same, nobody is in between.',
  },
  es: {
    'e2ee.title': 'Cifrado de extremo a extremo',
    'e2ee.toggle': 'Cifrar el audio y el vídeo de extremo a extremo',
    'e2ee.hint': 'Cada navegador cifra lo que envía, así que el servidor no puede verlo ni oírlo. El vídeo de todos se reinicia y, mientras tanto, el servidor no puede grabar.',
    'e2ee.unsupported': 'Este navegador no puede cifrar de extremo a extremo: usa un Chrome, Edge, Firefox o Safari actual.',
    'e2ee.indicator': 'E2EE',
    'e2ee.indicatorTitle': 'El audio y el vídeo están cifrados de extremo a extremo: el servidor no puede verlos ni oírlos.',
    'e2ee.participantEncrypted': 'Lo que envía esta persona te llega cifrado de extremo a extremo',
    'e2ee.participantEncryptedCode': 'Lo que envía esta persona te llega cifrado de extremo a extremo. Vuestro código de seguridad: {code}. Si el suyo para ti es el mismo, nadie se ha colado en medio.',
  },
  it: {
    'e2ee.title': 'Crittografia end-to-end',
    'e2ee.toggle': 'Cifra audio e video end-to-end',
    'e2ee.hint': 'Ogni browser cifra ciò che invia, così il server non può vederlo né sentirlo. Il video di tutti riparte e nel frattempo il server non può registrare.',
    'e2ee.unsupported': 'Questo browser non può cifrare end-to-end: usa una versione recente di Chrome, Edge, Firefox o Safari.',
    'e2ee.indicator': 'E2EE',
    'e2ee.indicatorTitle': 'Audio e video sono cifrati end-to-end: il server non può vederli né sentirli.',
    'e2ee.participantEncrypted': 'Ciò che questa persona invia ti arriva cifrato end-to-end',
    'e2ee.participantEncryptedCode': 'Ciò che questa persona invia ti arriva cifrato end-to-end. Il vostro codice di sicurezza: {code}. Se il suo per te è lo stesso, nessuno si è messo in mezzo.',
  },
});
