// Test doubles for the nexrender side (a real @nexrender/server and an ffmpeg worker), kept out of the
// production barrel: @nexrender/server is a development dependency and must never load in a service.
export * from './nexrender-test-server';
export * from './ffmpeg-test-worker';
