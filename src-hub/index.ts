// The hub's public surface for its composers (CLI, Electron main, tests).
export { createHub } from './hub.js';
export type { Hub, HubPorts } from './hubPorts.js';
export { LIMITS, type Limits } from './limits.js';
export { fileLogger, memoryLogger, type Logger } from './logger.js';
export {
  defaultStateDir,
  readHubFile,
  isHubAlive,
  isProcessAlive,
  hubFilePath,
  type HubFile,
} from './stateDir.js';
export { HUB_VERSION } from './version.js';
export { WEBSOCKET_PATH } from './net/server.js';
