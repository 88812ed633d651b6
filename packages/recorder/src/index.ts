export { layoutTiles, type Canvas, type LayoutParticipant, type Tile, type TileKind } from './layout.js';
export type { OutputKind, RtpStream } from './pipeline-description.js';
export { DEBIAN_PYTHON, type HostStats as RecordingStats } from './pipeline-host.js';
export { RecorderClient, RemoteRecording, type RemoteRecordingEvents } from './recorder-client.js';
export { runRecorder } from './recorder-main.js';
export type { RecorderLineup, RecorderOutput, RecorderParticipant, RecorderSettings, RecorderStream } from './recorder-protocol.js';
export { RecordingPipeline, type OutputTarget, type RecordingLineup, type RecordingOptions, type RecordingParticipant } from './recording-pipeline.js';
