// Entry of the classic script served at /external_api.js: defines the global Jitsi pages expect.
import { JitsiMeetExternalAPI } from './external-api.js';

(window as unknown as { JitsiMeetExternalAPI: typeof JitsiMeetExternalAPI }).JitsiMeetExternalAPI = JitsiMeetExternalAPI;
