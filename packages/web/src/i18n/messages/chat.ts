import { defineMessages } from '../define.js';

/** The chat panel. */
export const chat = defineMessages({
  en: {
    'chat.title': 'Chat',
    'chat.close': 'Close chat',
    'chat.empty': 'No messages yet. Messages disappear when the meeting ends.',
    'chat.privateTo': 'private to {name}',
    'chat.private': 'private',
    'chat.sendTo': 'Send to',
    'chat.everyone': 'Everyone',
    'chat.privateOption': '{name} (private)',
    'chat.message': 'Message',
    'chat.placeholder': 'Write a message',
    'chat.send': 'Send message',
  },
  es: {
    'chat.title': 'Chat',
    'chat.close': 'Cerrar el chat',
    'chat.empty': 'Todavía no hay mensajes. Los mensajes desaparecen cuando termina la reunión.',
    'chat.privateTo': 'privado para {name}',
    'chat.private': 'privado',
    'chat.sendTo': 'Enviar a',
    'chat.everyone': 'Todos',
    'chat.privateOption': '{name} (privado)',
    'chat.message': 'Mensaje',
    'chat.placeholder': 'Escribe un mensaje',
    'chat.send': 'Enviar mensaje',
  },
  it: {
    'chat.title': 'Chat',
    'chat.close': 'Chiudi la chat',
    'chat.empty': 'Ancora nessun messaggio. I messaggi spariscono quando finisce la riunione.',
    'chat.privateTo': 'privato per {name}',
    'chat.private': 'privato',
    'chat.sendTo': 'Invia a',
    'chat.everyone': 'Tutti',
    'chat.privateOption': '{name} (privato)',
    'chat.message': 'Messaggio',
    'chat.placeholder': 'Scrivi un messaggio',
    'chat.send': 'Invia messaggio',
  },
});
