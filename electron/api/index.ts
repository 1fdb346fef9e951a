// The API contract in one import: schemas for the engine, types for the renderer.
export * from './app.ts';
export * from './common.ts';
export * from './events.ts';
export * from './files.ts';
export * from './inspect.ts';
export * from './jobs.ts';
export * from './methods.ts';
export * from './protocol.ts';
export * from './settings.ts';
