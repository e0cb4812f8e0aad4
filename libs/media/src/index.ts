export * from './ffmpeg/ffmpeg-runner';
