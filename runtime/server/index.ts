/** The bot runtime's public API: start a server, and the flow checks it applies. */
export { start, type RunningServer, type StartOptions, type Role, type StudioHook, type RuntimeStats } from './start.ts';
export { FlowRejectedError, formatDiagnostic } from './loadFlow.ts';
export type { Logger } from './logger.ts';
