/**
 * The few globals runtime/flow may use: the ones every JavaScript host it runs in (Node 20, the
 * studio's browser, Electron) provides alike. runtime/flow/tsconfig.json has no Node or DOM types,
 * so anything not declared here is a type error there.
 */

/** HTML's structured clone (Node 17+, every current browser): a deep copy of plain data. */
declare function structuredClone<T>(value: T): T;
