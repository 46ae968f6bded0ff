// Defaults shared by CLI commands, kept apart so that importing them loads nothing else.
export const DEFAULT_PORT = 7317;
