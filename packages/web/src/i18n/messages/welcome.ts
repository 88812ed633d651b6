import { defineMessages } from '../define.js';

/** The front page, room-name problems and the page for an address that is not a room. */
export const welcome = defineMessages({
  en: {
    'welcome.pitch': 'Video meetings on your own server. Share a link and start talking — no accounts, no installs.',
    'welcome.roomName': 'Room name',
    'welcome.suggest': 'Suggest a new name',
    'welcome.start': 'Start meeting',
    'welcome.whyTitle': 'Why a random name?',
    'welcome.whyText':
      'Anyone who knows a room’s name can walk in. A name like “test” is the first thing a stranger would try; four random words and a number are practically impossible to guess.',
    'welcome.roomEmpty': 'The room name is empty.',
    'welcome.roomTooLong': 'A room name has at most {max} characters.',
    'welcome.roomCharacters': 'A room name may contain only letters, digits, "-" and "_".',
    'welcome.roomReserved': '"{name}" is reserved by the server; choose another name.',
    'welcome.invalidTitle': 'This isn’t a meeting address',
    'welcome.startAMeeting': 'Start a meeting',
  },
  es: {
    'welcome.pitch': 'Videorreuniones en tu propio servidor. Comparte un enlace y empieza a hablar, sin cuentas ni instalaciones.',
    'welcome.roomName': 'Nombre de la sala',
    'welcome.suggest': 'Sugerir otro nombre',
    'welcome.start': 'Empezar la reunión',
    'welcome.whyTitle': '¿Por qué un nombre al azar?',
    'welcome.whyText':
      'Cualquiera que conozca el nombre de una sala puede entrar. Un nombre como «prueba» es lo primero que probaría un desconocido; cuatro palabras al azar y un número son prácticamente imposibles de adivinar.',
    'welcome.roomEmpty': 'El nombre de la sala está vacío.',
    'welcome.roomTooLong': 'Un nombre de sala tiene como máximo {max} caracteres.',
    'welcome.roomCharacters': 'Un nombre de sala solo puede contener letras, dígitos, "-" y "_".',
    'welcome.roomReserved': '"{name}" está reservado por el servidor; elige otro nombre.',
    'welcome.invalidTitle': 'Esta no es la dirección de una reunión',
    'welcome.startAMeeting': 'Empezar una reunión',
  },
  it: {
    'welcome.pitch': 'Videoriunioni sul tuo server. Condividi un link e inizia a parlare: niente account, niente installazioni.',
    'welcome.roomName': 'Nome della stanza',
    'welcome.suggest': 'Suggerisci un altro nome',
    'welcome.start': 'Inizia la riunione',
    'welcome.whyTitle': 'Perché un nome casuale?',
    'welcome.whyText':
      'Chiunque conosca il nome di una stanza può entrare. Un nome come «prova» è la prima cosa che proverebbe un estraneo; quattro parole casuali e un numero sono praticamente impossibili da indovinare.',
    'welcome.roomEmpty': 'Il nome della stanza è vuoto.',
    'welcome.roomTooLong': 'Il nome di una stanza ha al massimo {max} caratteri.',
    'welcome.roomCharacters': 'Il nome di una stanza può contenere solo lettere, cifre, "-" e "_".',
    'welcome.roomReserved': '"{name}" è riservato al server; scegli un altro nome.',
    'welcome.invalidTitle': 'Questo non è l’indirizzo di una riunione',
    'welcome.startAMeeting': 'Inizia una riunione',
  },
});
