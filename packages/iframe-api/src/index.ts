export { JitsiMeetExternalAPI, type ExternalApiOptions, type ParticipantInfo } from './external-api.js';
export * from './wire.js';
