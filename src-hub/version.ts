// The hub's version as reported to clients (a test keeps it equal to package.json's).
export const HUB_VERSION = '0.1.0';
