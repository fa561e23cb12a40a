/**
 * The studio's view of the host contract. Its home is runtime/contract/studioHost.ts, which the
 * renderer, the runtime's host API and the Electron shell all import downward; studio modules
 * import it from here so they reach their host through one folder.
 */
export * from '../../../runtime/contract/studioHost.ts';
