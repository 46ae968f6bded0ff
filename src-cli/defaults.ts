// Defaults shared by CLI commands, kept apart so that importing them loads nothing else.
export const DEFAULT_PORT = 7317;
/** The LAN listener's port (`hub --lan`); the hub's own default is the same (src-hub/net/lan.ts). */
export const DEFAULT_LAN_PORT = 7318;
