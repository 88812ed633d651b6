export { layoutTiles, type Canvas, type LayoutParticipant, type Tile, type TileKind } from './layout.js';
export type { RtpStream } from './pipeline-description.js';
export { DEBIAN_PYTHON, type HostStats as RecordingStats } from './pipeline-host.js';
export { RecordingPipeline, type RecordingLineup, type RecordingOptions, type RecordingParticipant } from './recording-pipeline.js';
