export * from './output-storage';
export * from './local-output-storage';
export * from './s3-client';
export * from './s3-errors';
export * from './s3-output-storage';
export * from './create-output-storage';
export * from './caller-upload';
export * from './push-to-caller-bucket';
